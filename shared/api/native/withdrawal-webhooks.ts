/**
 * A withdrawal's webhooks on the native wire: the body each event sends (JSON, signed by the
 * Tollgate-Signature header like every native event), its log and resend answers. Amounts are
 * exact decimal strings in the withdrawal's currency, times ISO 8601, as the native API shows them.
 */
import * as z from 'zod';
import { findCrypto } from '../../domain/currencies';
import { formatDecimal, fromUnits } from '../../domain/money';
import { isoTime } from '../../domain/time';
import type { Withdrawal } from '../../domain/withdrawal';
import type { WithdrawalEvent } from '../../domain/withdrawal-events';
import { presentPostbackLog } from './postbacks';

/** The `{withdrawalId}` of the webhook routes: the characters withdrawal ids use (an unknown one is then not found). */
export const withdrawalPathId = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9-]{1,20}$/, 'withdrawal_id must be a withdrawal id (INV-XXXXXXXX).');

function amountIn(code: string, units: bigint): string {
  const c = findCrypto(code);
  if (!c) throw new Error(`invariant: unknown currency ${code} on a withdrawal`);
  return formatDecimal(fromUnits(units, c.decimals));
}

/** The hash that landed once confirmed; the one in flight before (a fee bump changes it). */
const txHashOf = (w: Withdrawal): string | null => w.landed?.hash ?? w.tx?.hash ?? w.replaced.at(-1)?.hash ?? null;

/** The body of one withdrawal event: the withdrawal as it is when the attempt is made. */
export function withdrawalWebhookBody(w: Withdrawal, event: WithdrawalEvent) {
  return {
    event: event.kind,
    event_id: event.id,
    withdrawal: {
      id: w.id,
      status: w.status,
      currency: w.code,
      amount: amountIn(w.code, w.amount),
      fee: amountIn(w.code, w.fee),
      to_address: w.toAddress,
      tx_hash: txHashOf(w),
      reason: w.reason,
      created: isoTime(w.createdAt),
      updated: isoTime(w.updatedAt),
      // A mass payout's item also says which batch it belongs to and the merchant's own reference (additive: other withdrawals send neither).
      ...(w.batch ? { batch_id: w.batch.id, reference: w.batch.reference } : {}),
    },
  };
}

export const presentWithdrawalEvent = (e: WithdrawalEvent & { delivered?: boolean }) => ({
  event_id: e.id,
  event: e.kind,
  ...(e.delivered === undefined ? {} : { delivered: e.delivered }),
});

type Attempts = Parameters<typeof presentPostbackLog>[0]['attempts'];

/** The same attempt rows as an invoice's postback log. */
export const presentWithdrawalWebhookLog = (view: { events: (WithdrawalEvent & { delivered: boolean })[]; attempts: Attempts }) => ({
  events: view.events.map(presentWithdrawalEvent),
  attempts: presentPostbackLog({ events: [], attempts: view.attempts }).attempts,
});
