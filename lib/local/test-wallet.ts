/**
 * `POST /api/local/test-wallet/{invoiceId}`: the payment page's "Pay with the test wallet" button.
 * It pays what is still due on a test invoice's current offer from the devnet's funded payer, so a
 * newcomer sees the whole flow in `npm start` within a minute.
 *
 * LOCAL RUNTIME ONLY: it is served by the local gateway's `extra` handler chain, not declared in
 * lib/manifest.ts, so a deployed stack has no such route (and no devnet key to pay with).
 */
import type { IncomingMessage } from 'node:http';
import { runtime } from '../../functions/kit/deps';
import { findCrypto } from '../../shared/domain/currencies';
import { parseInvoiceRef } from '../../shared/domain/ids';
import { payerView } from '../../shared/domain/invoice/payer-view';
import { formatDecimal, fromUnits } from '../../shared/domain/money';
import type { DevnetInfo } from './dev-defaults';
import { payOnDevnet } from './devnet-payer';

const PATH = /^\/api\/local\/test-wallet\/([A-Za-z0-9-]{1,20})$/;
/** How long a sent payment may take to show on the invoice before the wallet would pay again. */
export const TEST_WALLET_PENDING_MS = 60_000;

/**
 * One payment in flight per invoice. Until the watcher records it, the invoice still shows the
 * whole amount due, so a second press (or a script posting in a loop) would pay it again: an
 * overpaid invoice, and the devnet payer drained. Another payment is allowed once the invoice
 * records one more payment (a top-up after a partial), or after TEST_WALLET_PENDING_MS.
 */
export function testWalletGuard() {
  const pending = new Map<string, { at: number; payments: number }>();
  return {
    claim(invoiceId: string, payments: number, now: number): boolean {
      const last = pending.get(invoiceId);
      if (last && payments <= last.payments && now - last.at < TEST_WALLET_PENDING_MS) return false;
      pending.set(invoiceId, { at: now, payments });
      return true;
    },
    /** The send failed: nothing is in flight. */
    release: (invoiceId: string) => pending.delete(invoiceId),
  };
}

export function testWallet(devnet: DevnetInfo) {
  const guard = testWalletGuard();
  return async (req: IncomingMessage, url: URL) => {
    const match = PATH.exec(url.pathname);
    if (!match || req.method !== 'POST') return null;
    const answer = (status: number, body: unknown) => ({ status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: JSON.stringify(body) });
    const { deps } = runtime();
    if (!deps.settings.testWallet) return null;
    // A JSON request: another site's page cannot send one here without a preflight this host never
    // answers, so a page open in the same browser cannot spend the devnet wallet.
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return answer(415, { error: 'send Content-Type: application/json' });
    const id = parseInvoiceRef(match[1]);
    const found = id.ok ? await deps.invoices.getWithHeads(id.value, deps.chains.map((c) => c.chain)) : null;
    if (!found) return answer(404, { error: 'invoice not found' });
    // What the page shows: the state and the amount still due of the current offer.
    const { invoice } = found;
    const view = payerView(invoice, { now: deps.clock.now(), heads: found.heads, chains: deps.chains });
    if (!invoice.testMode) return answer(400, { error: 'only test-mode invoices can be paid with the test wallet' });
    if ((view.state !== 'waiting' && view.state !== 'partial') || !view.offer) return answer(400, { error: `the invoice is ${view.state}; nothing to pay` });
    const currency = findCrypto(view.offer.code);
    if (!currency || view.remaining <= 0n) return answer(400, { error: 'nothing left to pay' });
    // No await between this check and the claim: two presses at once cannot both pass.
    if (!guard.claim(invoice.id, invoice.payments.length, deps.clock.now())) return answer(409, { error: 'a test payment is on its way; wait for the page to show it' });
    try {
      const paid = await payOnDevnet(devnet, { code: currency.code, to: view.offer.address, amount: formatDecimal(fromUnits(view.remaining, currency.decimals)) });
      deps.log.info('local.test_wallet_paid', { invoiceId: match[1], txHash: paid.tx_hash, amount: paid.amount, currency: paid.code });
      return answer(200, { tx_hash: paid.tx_hash, amount: paid.amount, currency: paid.code });
    } catch (e) {
      guard.release(invoice.id);
      return answer(400, { error: e instanceof Error ? e.message : String(e) });
    }
  };
}
