/** Cancels invoices whose expiry passed with nothing paid; drains a backlog over several runs. */
import { expireDueInvoices } from '../../shared/app/invoices';
import { schedule } from '../kit/schedule';

/** Pages per run; at 100 invoices a page that is 1,000 expiries a minute, far above demand. */
const PAGES_PER_RUN_MAX = 10;

export const handler = schedule('invoice-expiry', async (deps, now) => {
  const total = { pages: 0, due: 0, expired: 0, skipped: 0 };
  for (let more = true; more && total.pages < PAGES_PER_RUN_MAX; total.pages += 1) {
    const page = await expireDueInvoices(deps, now);
    total.due += page.due;
    total.expired += page.expired;
    total.skipped += page.skipped;
    more = page.more && page.expired > 0;
  }
  return total;
});
