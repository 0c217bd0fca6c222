// The donation page (donate-page.ts): a preset fills the amount instead of posting the form; the
// form posts JSON to the public endpoint and moves on to the payment page it answers with.
// Without this script the same form posts as a form and the server answers with that link.
(() => {
  const form = document.getElementById('donate-form');
  const data = document.getElementById('donate-data');
  if (!form || !data) return;
  const { endpoint, messages } = JSON.parse(data.textContent);
  const amount = document.getElementById('donate-amount');
  const error = document.getElementById('donate-error');
  const submit = document.getElementById('donate-submit');
  const presets = [...form.querySelectorAll('.preset')];
  const show = (text) => {
    error.textContent = text;
  };

  const press = (button) => {
    for (const b of presets) b.setAttribute('aria-pressed', String(b === button));
  };
  for (const b of presets) {
    b.addEventListener('click', (e) => {
      e.preventDefault();
      amount.value = b.value;
      press(b);
      show('');
    });
  }
  amount.addEventListener('input', () => press(presets.find((b) => b.value === amount.value) ?? null));

  // Exact decimal check in minor units (no float): "12.5" with 2 decimals → 1250n.
  const minor = (text) => {
    const m = /^(\d{1,12})(?:[.,](\d+))?$/.exec(text.trim());
    if (!m || (m[2] ?? '').length > messages.scale) return null;
    return BigInt(m[1] + (m[2] ?? '').padEnd(messages.scale, '0'));
  };
  const within = (text) => {
    const v = minor(text);
    return v !== null && v >= minor(messages.min) && v <= minor(messages.max);
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const value = amount.value.trim().replace(',', '.');
    if (!within(value)) {
      show(messages.amountInvalid);
      amount.focus();
      return;
    }
    const body = { amount: value };
    for (const field of ['name', 'message']) {
      const input = form.elements.namedItem(field);
      if (input?.value.trim()) body[field] = input.value.trim();
    }
    submit.disabled = true;
    show('');
    try {
      const res = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const answer = await res.json().catch(() => null);
      if (res.ok && answer?.result?.link) {
        window.location.assign(answer.result.link);
        return;
      }
      show(res.status === 429 ? messages.tooMany : res.status === 400 && answer?.result ? Object.values(answer.result)[0] : messages.failed);
    } catch {
      show(messages.failed);
    }
    submit.disabled = false;
  });
})();
