/**
 * Mass payouts for tests of the workflow, written straight through deps.payoutBatches (the batch
 * API prices and validates; these tests pay): the batch, its items as withdrawals with `batch`
 * set (fee on the merchant side, held amount = amount + fee), the batch queued, then its
 * execution started, as the API does once a batch needs no approval.
 */
import { randomBytes } from 'node:crypto';
import { nativeCurrencyOf, type ChainId } from '../../shared/domain/currencies';
import { ID_ALPHABET } from '../../shared/domain/ids';
import { batchItemId, type PayoutBatch } from '../../shared/domain/payout-batch';
import type { Withdrawal } from '../../shared/domain/withdrawal';
import type { Deps } from '../../shared/ports';

export type TestItem = { code: string; chain: ChainId; to: string; amount: bigint; fee?: bigint; reference?: string };

const randomBatchId = () => `PB-${Array.from(randomBytes(8), (b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('')}`;

/** The batch and its items as stored, status `queued` (`start: false` leaves the execution to the test). */
export async function queueTestBatch(deps: Deps, shopId: string, items: readonly TestItem[], options: { start?: boolean; id?: string } = {}): Promise<{ batch: PayoutBatch; items: Withdrawal[] }> {
  const id = options.id ?? randomBatchId();
  const at = deps.clock.now();
  const withdrawals: Withdrawal[] = items.map((it, i) => {
    const fee = it.fee ?? 0n;
    return {
      id: batchItemId(id, i + 1),
      shopId,
      code: it.code,
      chain: it.chain,
      toAddress: it.to,
      walletId: null,
      amount: it.amount,
      fee,
      feeSide: 'merchant',
      sendAmount: it.amount,
      holdAmount: it.amount + fee,
      source: 'batch',
      batch: { id, index: i + 1, reference: it.reference ?? `${id}-ref-${i + 1}` },
      status: 'requested',
      reason: null,
      tx: null,
      replaced: [],
      landed: null,
      createdAt: at,
      updatedAt: at,
      version: 1,
    };
  });
  const totals = new Map<string, { code: string; amount: bigint; fee: bigint }>();
  for (const w of withdrawals) {
    const t = totals.get(w.code) ?? { code: w.code, amount: 0n, fee: 0n };
    totals.set(w.code, { code: w.code, amount: t.amount + w.amount, fee: t.fee + w.fee });
  }
  const batch: PayoutBatch = {
    id,
    shopId,
    status: 'creating',
    itemIds: withdrawals.map((w) => w.id),
    totals: [...totals.values()],
    usdCents: 0n,
    approval: { required: false, approvedAt: null },
    source: 'native_api',
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  const created = await deps.payoutBatches.create(batch, null);
  if (created.kind !== 'created') throw new Error(`test batch ${id}: ${created.kind}`);
  const { taken } = await deps.payoutBatches.addItems(withdrawals);
  if (taken.length > 0) throw new Error(`test batch ${id}: references taken ${JSON.stringify(taken)}`);
  const queued: PayoutBatch = { ...batch, status: 'queued', version: 2 };
  if (!(await deps.payoutBatches.save(queued, 1))) throw new Error(`test batch ${id} changed while being queued`);
  if (options.start !== false) await deps.workflows.start('payout_batch', id, { batchId: id });
  return { batch: queued, items: withdrawals };
}

/** A network fee the tests charge per item: a little of the chain's own coin, or of the token. */
export const testFee = (chain: ChainId, code: string): bigint => (code === nativeCurrencyOf(chain).code ? 10n ** BigInt(nativeCurrencyOf(chain).decimals - 4) : 10_000n);
