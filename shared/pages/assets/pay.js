// The payment page's script (shared/pages/pay-page.ts renders every state; this only switches them).
// It polls the status JSON every 3 s with If-None-Match (a 304 costs nothing), shows the section of
// the current state, refills the numbers, counts down to expiry, copies, posts the currency choice,
// re-quotes when the rate lock ends before anything was paid, and tells a framing widget when paid.
(() => {
  const POLL_MS = 3000;
  const SLOW_POLL_MS = 15000;
  const data = JSON.parse(document.getElementById('pay-data').textContent);
  const msg = data.messages;
  const locale = data.locale;
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));
  const fill = (template, params) => template.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
  let state = data.state;
  let etag = null;
  let timer = null;
  let requoted = null;
  const posted = {};

  // Exact decimal text → the locale's digits, without floats: '1234.5' → '1 234,5' (ru).
  const decimalSep = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal').value;
  const digits = (text) => {
    const [whole, fraction] = String(text).split('.');
    return new Intl.NumberFormat(locale).format(BigInt(whole)) + (fraction ? decimalSep + fraction : '');
  };
  const setV = (name, value) => {
    for (const el of $$(`[data-v="${name}"]`)) el.textContent = value;
  };
  const units = (text) => {
    const [w, f = ''] = String(text).split('.');
    return BigInt(w + f.padEnd(data.decimals, '0').slice(0, data.decimals));
  };
  const fromUnits = (u) => {
    const s = u.toString().padStart(data.decimals + 1, '0');
    const whole = s.slice(0, s.length - data.decimals) || '0';
    const frac = s.slice(s.length - data.decimals).replace(/0+$/, '');
    return frac ? `${whole}.${frac}` : whole;
  };

  // In the widget's overlay: help opens beside the payment (help pages refuse to be framed), and
  // Escape closes the overlay, which the shop's page cannot hear from inside this frame.
  const framed = window.parent !== window;
  const tellParent = (message) => {
    for (const origin of data.widgetOrigins) window.parent.postMessage(message, origin);
  };
  if (framed) {
    for (const a of $$('.help-links a')) {
      a.target = '_blank';
      a.rel = 'noopener';
    }
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') tellParent({ type: 'tollgate:close', invoice_id: data.id });
    });
  }

  function show(next) {
    state = next;
    for (const el of $$('[data-states]')) el.hidden = !el.dataset.states.split(' ').includes(next);
    if ((next === 'paid' || next === 'overpaid') && framed && !posted[next]) {
      posted[next] = true;
      tellParent({ type: 'tollgate:invoice', invoice_id: data.id, state: next });
    }
  }

  // ---- countdown -------------------------------------------------------------
  const two = new Intl.NumberFormat(locale, { minimumIntegerDigits: 2, useGrouping: false });
  function duration(ms) {
    const total = Math.max(0, Math.ceil(ms / 1000));
    const days = Math.floor(total / 86400);
    const rest = total % 86400;
    const time = `${two.format(Math.floor(rest / 3600))}:${two.format(Math.floor((rest % 3600) / 60))}:${two.format(rest % 60)}`;
    return days > 0 ? fill(msg['common.durationDays'], { days, time }) : time;
  }
  let expiryPolled = 0;
  function tick() {
    if (data.final.includes(state)) return clearInterval(ticker);
    const left = data.expiresAt - Date.now();
    setV('time', duration(left));
    // Time is up here: ask the server now, then at the usual pace (this clock may run ahead of it).
    if (left <= 0 && ['choose', 'waiting', 'partial'].includes(state) && Date.now() - expiryPolled >= POLL_MS) {
      expiryPolled = Date.now();
      poll();
    }
    // The quote lock ended with nothing paid: choose the same currency again for a fresh amount;
    // a refused or failed request is tried again a little later.
    if (state === 'waiting' && data.lockedUntil && Date.now() >= data.lockedUntil && !data.paidAny && requoted !== data.lockedUntil && left > 0) {
      const lock = data.lockedUntil;
      requoted = lock;
      select({ currency: data.currency }).then((ok) => {
        if (ok) return poll();
        setTimeout(() => {
          if (requoted === lock) requoted = null;
        }, SLOW_POLL_MS);
      });
    }
  }
  let ticker = null;

  // ---- status poll -----------------------------------------------------------
  function schedule(ms) {
    clearTimeout(timer);
    if (!data.final.includes(state)) timer = setTimeout(poll, ms);
  }
  async function poll() {
    clearTimeout(timer);
    let res;
    try {
      res = await fetch(`/api/public/invoices/${data.id}`, { headers: etag ? { 'If-None-Match': etag } : {}, cache: 'no-store' });
    } catch {
      return schedule(POLL_MS * 2);
    }
    if (res.status === 304) return schedule(POLL_MS);
    if (!res.ok) return schedule(SLOW_POLL_MS);
    etag = res.headers.get('ETag');
    update(await res.json());
    schedule(POLL_MS);
  }
  function update(s) {
    if (s.currency && s.currency !== data.currency) return location.reload();
    if (s.amount_to_pay !== null) {
      const due = units(s.amount_to_pay);
      const left = units(s.remaining);
      const paid = due > left ? due - left : 0n;
      if (left !== units(data.remaining) || s.amount_to_pay !== data.amountToPay) {
        const qr = $('#qr');
        if (qr) qr.src = `/pay/${data.id.slice(4)}/qr.svg?v=${left}-${due}`;
      }
      data.amountToPay = s.amount_to_pay;
      data.remaining = s.remaining;
      data.paidAny = data.paidAny || paid > 0n || s.state === 'seen';
      setV('due', digits(s.remaining));
      const copy = $('[data-copy-of="due"]');
      if (copy) copy.dataset.copy = s.remaining;
      setV('total', digits(s.amount_to_pay));
      setV('remaining', digits(s.remaining));
      setV('paid', digits(fromUnits(paid)));
      setV('extra', `${digits(s.overpaid_by)}\u00a0${data.ticker}`);
    }
    if (s.locked_until && s.locked_until !== data.lockedUntil) {
      data.lockedUntil = s.locked_until;
      showLock();
    }
    data.expiresAt = s.expires_at;
    if (s.progress) {
      setV('k', s.progress.confirmations);
      setV('n', s.progress.required);
      setV('minutes', Math.max(1, Math.ceil(s.progress.expected_seconds / 60)));
      // A finality tag (solidified, finalized) has no count to show: its own sentence instead.
      const byTag = typeof s.progress.required !== 'number';
      for (const el of $$('[data-seen]')) el.hidden = (el.dataset.seen === 'tag') !== byTag;
    }
    if (s.state !== state) show(s.state);
  }

  // ---- actions ---------------------------------------------------------------
  function problem(root, text) {
    const el = $('.form-error', root);
    if (!el) return;
    el.textContent = text || '';
    el.hidden = !text;
  }
  async function select(body, root) {
    try {
      const res = await fetch(`/api/invoices/${data.id}/select`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      if (res.ok) return true;
      problem(root, res.status === 429 ? msg['common.tooManyRequests'] : msg['pay.selectFailed']);
    } catch {
      problem(root, msg['pay.selectFailed']);
    }
    return false;
  }

  const form = $('#choose');
  if (form) {
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const chosen = $('input[name="currency"]:checked', form);
      const email = $('#email', form);
      if (!chosen) return problem(form, msg['pay.selectFailed']);
      if (email && !email.checkValidity()) {
        email.focus();
        return problem(form, email.value.trim() === '' ? email.dataset.missing : email.dataset.invalid);
      }
      problem(form, '');
      const button = $('button[type="submit"]', form);
      button.disabled = true;
      const ok = await select({ currency: chosen.value, ...(email ? { email: email.value.trim() } : {}) }, form);
      // The new offer (address, amount, QR) is the server's to render.
      if (ok) return location.reload();
      button.disabled = false;
    });
  }
  const change = $('#change-currency');
  if (change && form) {
    change.addEventListener('click', () => {
      form.hidden = false;
      $('input[name="currency"]', form).focus();
    });
  }

  const testPay = $('#test-pay');
  if (testPay) {
    testPay.addEventListener('click', async () => {
      const root = testPay.parentElement;
      const label = testPay.textContent;
      testPay.disabled = true;
      testPay.textContent = msg['pay.paying'];
      problem(root, '');
      try {
        const res = await fetch(`/api/local/test-wallet/${data.id}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
        if (!res.ok) throw new Error(String(res.status));
        poll();
      } catch {
        problem(root, msg['pay.testWalletFailed']);
      }
      testPay.disabled = false;
      testPay.textContent = label;
    });
  }

  // The lock time in the reader's own time zone (the server wrote UTC).
  const lockFormat = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
  const showLock = () => data.lockedUntil && setV('lock-time', lockFormat.format(data.lockedUntil));
  showLock();

  show(state);
  if (!data.final.includes(state)) {
    ticker = setInterval(tick, 1000);
    tick();
    schedule(POLL_MS);
  }
})();
