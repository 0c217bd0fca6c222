/*
 * The POS terminal (/pos/{token}): amount → Charge → QR, amount and address on the same screen →
 * live status from the public poll → green "Paid" → Next sale. No framework, no inline code.
 */
(() => {
  const data = JSON.parse(document.getElementById('pos-data').textContent);
  const m = data.messages;
  const $ = (id) => document.getElementById(id);
  const root = $('pos');
  const form = $('pos-entry');
  const input = $('pos-amount');
  const error = $('pos-error');
  const sale = $('pos-sale');
  const title = $('pos-sale-title');
  const qr = $('pos-qr');
  const status = $('pos-status');
  const next = $('pos-next');
  const cancel = $('pos-cancel');
  const charge = form.querySelector('button[type=submit]');
  const POLL_MS = 3000;
  const FINAL = ['paid', 'overpaid', 'late', 'expired', 'canceled'];
  const PAID = ['paid', 'overpaid'];
  const fill = (text, params) => text.replace(/\{(\w+)\}/g, (whole, key) => (key in params ? String(params[key]) : whole));
  const fiat = new Intl.NumberFormat(data.locale, { style: 'currency', currency: data.fiat });
  let current = null;
  let etag = null;
  let timer = null;

  /** "12,50" or "12.5" → "12.50"-style text the server parses; null when not a positive amount within the maximum. */
  function parseAmount(text) {
    const t = text.replace(/[\s\u00a0]/g, '').replace(',', '.');
    if (!/^\d{1,12}(\.\d+)?$/.test(t)) return null;
    const [whole, fraction = ''] = t.split('.');
    if (fraction.length > data.fiatDecimals) return null;
    const minor = BigInt(whole + fraction.padEnd(data.fiatDecimals, '0'));
    return minor > 0n && minor <= BigInt(data.maxMinor) ? t : null;
  }

  /** a − b for decimal strings (crypto amounts), exact. */
  function subtract(a, b) {
    const scale = Math.max((a.split('.')[1] || '').length, (b.split('.')[1] || '').length);
    const units = (s) => BigInt(s.replace('.', '') + '0'.repeat(scale - (s.split('.')[1] || '').length));
    const d = (units(a) - units(b)).toString().padStart(scale + 1, '0');
    return scale ? `${d.slice(0, -scale)}.${d.slice(-scale)}`.replace(/\.?0+$/, '') : d;
  }

  const showError = (text) => {
    error.textContent = text;
    input.setAttribute('aria-invalid', text ? 'true' : 'false');
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const amount = parseAmount(input.value);
    if (!amount) return showError(m.amountInvalid);
    showError('');
    charge.disabled = true;
    charge.setAttribute('aria-busy', 'true');
    try {
      const res = await fetch(data.createUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ amount }) });
      const json = await res.json().catch(() => null);
      if (res.ok && json && json.status === 'success') return showSale(json.result, amount);
      showError(res.status === 429 ? m['common.tooManyRequests'] : res.status === 400 && json && json.result && json.result.amount ? m.amountInvalid : m['common.error.body']);
    } catch {
      showError(m['common.error.body']);
    } finally {
      charge.disabled = false;
      charge.removeAttribute('aria-busy');
    }
  });

  function showSale(invoice, amount) {
    current = { ...invoice, shown: invoice.amount };
    etag = null;
    $('pos-fiat').textContent = fiat.format(amount);
    qr.src = `/pay/${invoice.invoice_id}/qr.svg`;
    $('pos-crypto').textContent = fill(m.sendExactly, { amount: invoice.amount, currency: data.ticker });
    $('pos-address').textContent = invoice.address;
    title.textContent = m.scanToPay;
    status.textContent = m['pay.status.waiting'];
    root.dataset.state = 'waiting';
    form.hidden = true;
    sale.hidden = false;
    next.hidden = true;
    cancel.hidden = false;
    title.focus();
    timer = setTimeout(poll, POLL_MS);
  }

  async function poll() {
    const polling = current;
    if (!polling) return;
    try {
      const res = await fetch(`/api/public/invoices/${polling.invoice_id}`, { headers: etag ? { 'if-none-match': etag } : {}, cache: 'no-store' });
      if (res.status === 200 && current === polling) {
        etag = res.headers.get('etag');
        render(await res.json());
      }
    } catch {
      // Offline for a moment: the next poll tries again.
    }
    if (current === polling && !FINAL.includes(root.dataset.state)) timer = setTimeout(poll, POLL_MS);
  }

  function render(s) {
    root.dataset.state = s.state;
    const currency = data.ticker;
    const texts = {
      waiting: m['pay.status.waiting'],
      seen: s.progress ? fill(m['pay.status.seen'], { k: s.progress.confirmations, n: s.progress.required }) : m['pay.status.waiting'],
      paid: m['pay.status.paid'],
      overpaid: fill(m['pay.status.overpaid'], { extra: `${s.overpaid_by} ${currency}` }),
      partial: fill(m['pay.status.partial'], { paid: `${subtract(current.amount, s.remaining)} ${currency}`, total: `${current.amount} ${currency}`, remaining: s.remaining, currency }),
      late: m['pay.status.late'],
      expired: m['pay.status.expired'],
      canceled: m['pay.status.canceled'],
    };
    status.textContent = texts[s.state] || '';
    if (s.state === 'partial' && s.remaining !== current.shown) {
      // What is still due gets its own QR and amount.
      current.shown = s.remaining;
      qr.src = `/pay/${current.invoice_id}/qr.svg?due=${encodeURIComponent(s.remaining)}`;
      $('pos-crypto').textContent = fill(m.sendExactly, { amount: s.remaining, currency });
    }
    if (PAID.includes(s.state)) title.textContent = m.paid;
    if (FINAL.includes(s.state)) {
      next.hidden = false;
      cancel.hidden = true;
      next.focus();
    }
  }

  function reset() {
    clearTimeout(timer);
    current = null;
    root.dataset.state = 'entry';
    sale.hidden = true;
    form.hidden = false;
    qr.removeAttribute('src');
    input.value = '';
    showError('');
    input.focus();
  }

  next.addEventListener('click', reset);
  cancel.addEventListener('click', reset);
  input.focus();
})();
