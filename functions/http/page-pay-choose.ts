/**
 * POST /pay/{invoiceId}: the payment page's currency choice as a plain form post, for a browser
 * without script. The same use case as the select route; the answer is the page again (303), with
 * `?choice=failed` (or `email`) when the choice was refused, so the form says so.
 */
import { SelectCurrencyRequest } from '../../shared/api/native/requests';
import { selectCurrency } from '../../shared/app/invoice-payments';
import { ok } from '../../shared/domain/result';
import { type HttpRequest, replyRoute, requestOf } from '../kit/http';
import { pathId } from './invoice-payments';

const text = (v: unknown, max: number): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, max) : null);

const input = (req: HttpRequest) => {
  const id = pathId(req);
  if (!id.ok) return id;
  // Checked as the select route checks it; a refused choice is shown on the page, not as an error page.
  const choice = SelectCurrencyRequest.safeParse({ currency: text(req.body.currency, 64) ?? '', ...(text(req.body.email, 300) ? { email: text(req.body.email, 300) } : {}) });
  return { ok: true as const, value: { id: id.value, choice: choice.success ? choice.data : null, locale: text(req.body.locale, 10) } };
};

export const pagePayChoose = replyRoute({
  route: 'page.pay_choose',
  input,
  request: requestOf(pathId, { body: SelectCurrencyRequest }),
  run: async ({ deps, input: i, now }) => {
    const chosen = i.choice ? await selectCurrency(deps, i.id, i.choice.currency, now, i.choice.email ?? null) : null;
    return ok({ outcome: chosen?.ok ? null : chosen?.error.kind === 'invoice.email_required' ? 'email' : 'failed' });
  },
  reply: ({ outcome }, { input: i }) => {
    const query = new URLSearchParams({ ...(i.locale ? { locale: i.locale } : {}), ...(outcome ? { choice: outcome } : {}) }).toString();
    return { status: 303, location: `/pay/${i.id}${query ? `?${query}` : ''}`, contentType: 'text/html; charset=utf-8', body: '' };
  },
});
