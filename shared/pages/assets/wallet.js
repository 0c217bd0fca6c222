// The static wallet page's script (shared/pages/wallet-page.ts renders everything; this keeps the
// transfers current). It polls the wallet's status JSON with If-None-Match (a 304 costs nothing),
// redraws the transfers when they change, shows their times in the reader's own time zone, copies
// the address, and reloads when the shop blocks or unblocks the wallet (the page's whole message changes).
(() => {
  const POLL_MS = 5000;
  const SLOW_POLL_MS = 30000;
  const data = JSON.parse(document.getElementById('wallet-data').textContent);
  const msg = data.messages;
  const locale = data.locale;
  const byId = (id) => document.getElementById(id);
  const fill = (template, params) => template.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
  let etag = null;
  let timer = null;

  // Exact decimal text → the locale's digits, without floats: '1234.5' → '1 234,5' (ru).
  const decimalSep = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal').value;
  const digits = (text) => {
    const [whole, fraction] = String(text).split('.');
    return new Intl.NumberFormat(locale).format(BigInt(whole)) + (fraction ? decimalSep + fraction : '');
  };
  // The server wrote UTC; the reader's own zone is easier to match with their wallet's history.
  const timeFormat = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
  const localTimes = () => {
    for (const el of document.querySelectorAll('.receipt-time')) el.textContent = timeFormat.format(new Date(el.dateTime));
  };

  const TONE = { confirming: 'info', credited: 'ok', not_credited: 'warn' };
  const stateText = (r) => {
    if (r.state === 'credited') return msg['wallet.receipt.credited'];
    if (r.state === 'not_credited') return msg['wallet.receipt.notCredited'];
    // A finality tag (solidified, finalized) has no count to show.
    return typeof r.required === 'number' ? fill(msg['wallet.receipt.confirming'], { k: r.confirmations ?? 0, n: r.required }) : msg['wallet.receipt.confirmingFinality'];
  };
  const node = (tag, className, text) => {
    const el = document.createElement(tag);
    el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  };
  // The same markup as wallet-page.ts receiptRow.
  function row(r) {
    const li = node('li', 'receipt');
    const main = node('div', 'receipt-main');
    const time = node('time', 'receipt-time', timeFormat.format(new Date(r.at)));
    time.dateTime = new Date(r.at).toISOString();
    main.append(node('span', 'receipt-amount', `${digits(r.amount)}\u00a0${data.ticker}`), time);
    li.append(main, node('span', `receipt-state tone-${TONE[r.state]}`, stateText(r)));
    if (r.after_block) li.append(node('p', 'receipt-note', msg['wallet.receipt.afterBlock']));
    return li;
  }
  // The latest transfer at the top of the page (wallet-page.ts latestTransfer).
  function showLatest(r) {
    const latest = byId('latest');
    if (!latest) return;
    latest.hidden = !r;
    if (!r) return;
    latest.className = `latest status status-${TONE[r.state]}`;
    latest.querySelector('[data-latest="amount"]').textContent = fill(msg['wallet.latest'], { amount: `${digits(r.amount)}\u00a0${data.ticker}` });
    latest.querySelector('[data-latest="state"]').textContent = stateText(r);
  }
  function update(s) {
    if (s.blocked !== data.blocked) return location.reload();
    showLatest(s.receipts[0]);
    const list = byId('receipts');
    list.replaceChildren(...s.receipts.map(row));
    list.hidden = s.receipts.length === 0;
    byId('receipts-empty').hidden = s.receipts.length > 0;
    byId('receipts-more').hidden = !s.more;
  }

  // ---- status poll -----------------------------------------------------------
  // A tab in the background asks rarely; coming back asks at once.
  const schedule = (ms) => {
    clearTimeout(timer);
    timer = setTimeout(poll, document.hidden ? SLOW_POLL_MS : ms);
  };
  async function poll() {
    clearTimeout(timer);
    let res;
    try {
      res = await fetch(`/api/public/wallets/${data.id}`, { headers: etag ? { 'If-None-Match': etag } : {}, cache: 'no-store' });
    } catch {
      return schedule(POLL_MS * 2);
    }
    if (res.status === 304) return schedule(POLL_MS);
    if (!res.ok) return schedule(SLOW_POLL_MS);
    etag = res.headers.get('ETag');
    update(await res.json());
    schedule(POLL_MS);
  }
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) poll();
  });

  localTimes();
  schedule(POLL_MS);
})();
