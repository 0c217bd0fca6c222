/** Cancels invoices whose expiry passed with nothing paid; drains a backlog over several runs. */
import { expireDueInvoices } from '../../shared/app/invoices';
import { schedule } from '../kit/schedule';

export const handler = schedule('invoice-expiry', (deps, now) => expireDueInvoices(deps, now));
