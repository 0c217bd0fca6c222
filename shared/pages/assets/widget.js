/*
 * Tollgate widget: a "Pay with crypto" button on a merchant's site.
 *
 *   <script src="https://pay.example/widget.js" data-shop="SHOP_ID" data-amount="25"
 *           data-currency="EUR" data-order-id="123" async></script>
 *
 * The button appears where the script tag is, and in every element with `data-tollgate-button`
 * (same data-* attributes). On click it creates an invoice (a form post: no preflight), opens the
 * payment page in an overlay, and when the page reports the invoice paid it dispatches
 * `tollgate:paid` (detail: invoice_id, state, order_id) on the button, bubbling to the document,
 * and calls the global function named by `data-on-paid`, if any. Only public data is used.
 */
(() => {
  const MESSAGES = /*MESSAGES*/{};
  const script = document.currentScript;
  if (!script?.src) return;
  const gateway = new URL(script.src).origin;
  const lang = (document.documentElement.lang || navigator.language || 'en').slice(0, 2).toLowerCase();
  const text = MESSAGES[lang] || MESSAGES.en || {};
  const t = (key, fallback) => text[key] || fallback;

  if (!document.querySelector('link[data-tollgate-css]')) {
    const css = document.createElement('link');
    css.rel = 'stylesheet';
    css.href = `${gateway}/assets/widget.css`;
    css.setAttribute('data-tollgate-css', '');
    document.head.appendChild(css);
  }

  const make = (tag, className, attrs = {}) => {
    const el = document.createElement(tag);
    el.className = className;
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    return el;
  };

  function openOverlay(invoice, config, button) {
    const overlay = make('div', 'tollgate-overlay');
    const dialog = make('div', 'tollgate-dialog', { role: 'dialog', 'aria-modal': 'true', 'aria-label': t('pay.heading', 'Payment') });
    const bar = make('div', 'tollgate-bar');
    const close = make('button', 'tollgate-close', { type: 'button' });
    close.textContent = `${t('widget.close', 'Close')} \u00d7`;
    const frame = make('iframe', 'tollgate-frame', { src: invoice.link, title: t('pay.heading', 'Payment'), allow: 'clipboard-write' });
    // Focus stays in the dialog: leaving either end wraps to the other.
    const before = make('span', 'tollgate-sentinel', { tabindex: '0' });
    const after = make('span', 'tollgate-sentinel', { tabindex: '0' });
    before.addEventListener('focus', () => frame.focus());
    after.addEventListener('focus', () => close.focus());
    bar.appendChild(close);
    dialog.append(before, bar, frame, after);
    overlay.appendChild(dialog);
    document.body.appendChild(overlay);
    document.documentElement.classList.add('tollgate-open');
    close.focus();
    let paid = false;

    const onKey = (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        shut();
      }
    };
    // Only the payment page in this overlay, from the gateway's origin, about this invoice.
    const onMessage = (event) => {
      const d = event.data;
      if (event.origin !== gateway || event.source !== frame.contentWindow || !d || d.invoice_id !== invoice.invoice_id) return;
      // Escape pressed inside the payment page.
      if (d.type === 'tollgate:close') return shut();
      if (d.type !== 'tollgate:invoice') return;
      if (paid || (d.state !== 'paid' && d.state !== 'overpaid')) return;
      paid = true;
      const detail = { invoice_id: invoice.invoice_id, state: d.state, order_id: config.orderId || null };
      button.setAttribute('data-tollgate-state', 'paid');
      button.dispatchEvent(new CustomEvent('tollgate:paid', { bubbles: true, detail }));
      const callback = config.onPaid && window[config.onPaid];
      if (typeof callback === 'function') callback(detail);
    };
    function shut() {
      document.removeEventListener('keydown', onKey);
      window.removeEventListener('message', onMessage);
      overlay.remove();
      document.documentElement.classList.remove('tollgate-open');
      button.focus();
    }
    close.addEventListener('click', shut);
    overlay.addEventListener('click', (event) => {
      if (event.target === overlay) shut();
    });
    document.addEventListener('keydown', onKey);
    window.addEventListener('message', onMessage);
  }

  async function start(config, button, message) {
    message.textContent = '';
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    try {
      const body = new URLSearchParams({ shop_id: config.shop || '', amount: config.amount || '', currency: config.currency || 'USD', locale: lang });
      if (config.orderId) body.set('order_id', config.orderId);
      const res = await fetch(`${gateway}/api/public/widget/invoices`, { method: 'POST', body, credentials: 'omit' });
      const json = await res.json().catch(() => null);
      if (res.ok && json && json.status === 'success') return openOverlay(json.result, config, button);
      // The customer gets a plain sentence; the site's developer gets the reason in the console.
      console.warn(`Tollgate widget: the payment could not start (HTTP ${res.status}): ${json?.result ? Object.values(json.result).join('; ') : ''}`);
      message.textContent = res.status === 429 ? t('common.tooManyRequests', 'Too many requests. Please try again in a minute.') : t('widget.unavailable', 'Paying with crypto is not available on this site right now.');
    } catch (e) {
      console.warn('Tollgate widget: the gateway could not be reached', e);
      message.textContent = t('widget.unavailable', 'Paying with crypto is not available on this site right now.');
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  }

  /** Turns a host (the script tag's place, or a data-tollgate-button element) into a button and its message line. */
  function mount(source, place) {
    const config = { shop: source.dataset.shop, amount: source.dataset.amount, currency: source.dataset.currency, orderId: source.dataset.orderId, onPaid: source.dataset.onPaid };
    const button = source.tagName === 'BUTTON' ? source : make('button', 'tollgate-button', { type: 'button' });
    if (button !== source) {
      button.textContent = source.dataset.label || t('widget.button', 'Pay with crypto');
      place(button);
    }
    const message = make('span', 'tollgate-message', { role: 'alert' });
    button.after(message);
    button.addEventListener('click', () => start(config, button, message));
  }

  if (script.dataset.shop) mount(script, (button) => script.after(button));
  const scan = () => {
    for (const el of document.querySelectorAll('[data-tollgate-button]:not([data-tollgate-ready])')) {
      el.setAttribute('data-tollgate-ready', '');
      mount(el, (button) => el.appendChild(button));
    }
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', scan);
  else scan();
})();
