import { describe, expect, it } from 'vitest';
import { parsePostbackJob } from '../../shared/api/messages/postback-job';
import { withdrawalWebhookBody } from '../../shared/api/native/withdrawal-webhooks';
import { isWithdrawalJob } from '../../shared/domain/postbacks';
import { moveWithdrawal, type Withdrawal, type WithdrawalStatus } from '../../shared/domain/withdrawal';
import { newWithdrawalEvents, withdrawalEventsOf, withdrawalJobOf } from '../../shared/domain/withdrawal-events';
import { requestedWithdrawal, signedTransfer } from '../support/withdrawal-builder';

const T0 = Date.UTC(2030, 0, 1);
const base = requestedWithdrawal('shop0000000001', T0, { id: 'INV-W1TH0001' });
const tx = signedTransfer(1, T0);

function path(...steps: [WithdrawalStatus, Partial<Withdrawal>?][]): Withdrawal[] {
  const out = [base];
  for (const [to, patch] of steps) {
    const next = moveWithdrawal(out[out.length - 1], to, T0 + out.length, patch ?? {});
    if (!next) throw new Error(`no edge to ${to}`);
    out.push(next);
  }
  return out;
}

const kinds = (w: Withdrawal) => withdrawalEventsOf(w).map((e) => e.kind);

describe('withdrawal events, derived from the stored withdrawal', () => {
  it('names one event per status a merchant acts on, with stable ids <withdrawal id>:<status>', () => {
    const [requested, held, signed, broadcast, confirmed] = path(['held'], ['signed', { tx }], ['broadcast'], ['confirmed', { landed: { hash: tx.hash, blockNumber: 12 } }]);
    expect(kinds(requested)).toEqual(['withdrawal.created']);
    expect(kinds(held)).toEqual(['withdrawal.created']);
    // Signed is internal: nothing reached the network yet.
    expect(kinds(signed)).toEqual(['withdrawal.created']);
    expect(kinds(broadcast)).toEqual(['withdrawal.created', 'withdrawal.broadcast']);
    expect(withdrawalEventsOf(confirmed).map((e) => e.id)).toEqual(['INV-W1TH0001:created', 'INV-W1TH0001:broadcast', 'INV-W1TH0001:confirmed']);
  });

  it('a withdrawal confirmed straight from signed (the broadcast write was lost) still tells of the broadcast', () => {
    const [, , , confirmed] = path(['held'], ['signed', { tx }], ['confirmed', { landed: { hash: tx.hash, blockNumber: 3 } }]);
    expect(kinds(confirmed)).toEqual(['withdrawal.created', 'withdrawal.broadcast', 'withdrawal.confirmed']);
  });

  it('a failed withdrawal tells of a broadcast only when it holds or replaced a signed transaction', () => {
    const [, , rejected] = path(['held'], ['failed', { reason: 'insufficient balance' }]);
    expect(kinds(rejected)).toEqual(['withdrawal.created', 'withdrawal.failed']);
    const [, , , , dropped] = path(['held'], ['signed', { tx }], ['broadcast'], ['failed', { reason: 'reverted' }]);
    expect(kinds(dropped)).toEqual(['withdrawal.created', 'withdrawal.broadcast', 'withdrawal.failed']);
    // A fee bump happens only after a broadcast: a replaced transaction is proof enough even when the current one was cleared.
    const bumped = { ...dropped, tx: null, replaced: [tx] };
    expect(kinds(bumped)).toEqual(['withdrawal.created', 'withdrawal.broadcast', 'withdrawal.failed']);
    const [, canceled] = path(['canceled', { reason: 'merchant canceled' }]);
    expect(kinds(canceled)).toEqual(['withdrawal.created', 'withdrawal.canceled']);
  });

  it('every forward path only adds events, and newWithdrawalEvents gives exactly what each write adds, in order', () => {
    const paths = [
      path(['held'], ['signed', { tx }], ['broadcast'], ['broadcast', { tx: signedTransfer(2, T0), replaced: [tx] }], ['confirmed', { landed: { hash: tx.hash, blockNumber: 9 } }]),
      path(['held'], ['signed', { tx }], ['broadcast'], ['failed', { reason: 'nonce taken' }]),
      path(['held'], ['signed', { tx }], ['failed', { reason: 'expired' }]),
      path(['held'], ['canceled']),
      path(['failed', { reason: 'wallet cooling off' }]),
    ];
    for (const p of paths) {
      const added = p.flatMap((w, i) => newWithdrawalEvents(i === 0 ? null : p[i - 1], w).map((e) => e.id));
      const last = p[p.length - 1];
      expect(added).toEqual(withdrawalEventsOf(last).map((e) => e.id));
      for (let i = 1; i < p.length; i += 1) {
        const before = new Set(withdrawalEventsOf(p[i - 1]).map((e) => e.id));
        for (const id of before) expect(withdrawalEventsOf(p[i]).map((e) => e.id)).toContain(id);
      }
    }
    expect(newWithdrawalEvents(paths[0][2], paths[0][2])).toEqual([]);
  });
});

describe('postback jobs name their subject', () => {
  it('a job without a subject (queued before withdrawals existed) is an invoice job, unchanged', () => {
    const old = { eventId: 'INV-ABCD1234:success', invoiceId: 'ABCD1234', shopId: 'shop0000000001', kind: 'invoice.paid', version: 3, force: false };
    const job = parsePostbackJob(old);
    expect(job).toEqual(old);
    expect(isWithdrawalJob(job)).toBe(false);
    expect(parsePostbackJob({ ...old, force: undefined }).force).toBe(false);
  });

  it('a withdrawal job round-trips; a bad id or an invoice kind on a withdrawal is refused', () => {
    const [, , , broadcast] = path(['held'], ['signed', { tx }], ['broadcast']);
    const job = withdrawalJobOf(broadcast, withdrawalEventsOf(broadcast)[1]);
    expect(job).toEqual({ subject: 'withdrawal', eventId: 'INV-W1TH0001:broadcast', withdrawalId: 'INV-W1TH0001', shopId: base.shopId, kind: 'withdrawal.broadcast', version: 4, force: false });
    const parsed = parsePostbackJob(JSON.parse(JSON.stringify(job)));
    expect(parsed).toEqual(job);
    expect(isWithdrawalJob(parsed)).toBe(true);
    expect(() => parsePostbackJob({ ...job, withdrawalId: 'INV-1#X' })).toThrow();
    expect(() => parsePostbackJob({ ...job, kind: 'invoice.paid' })).toThrow();
    // An invoice job cannot name a withdrawal kind either.
    expect(() => parsePostbackJob({ eventId: 'x', invoiceId: 'ABCD1234', shopId: 's00001', kind: 'withdrawal.created', version: 1 })).toThrow();
  });
});

describe('the webhook body', () => {
  it('shows the withdrawal as it is: exact decimal amounts, the hash in flight or landed, the reason', () => {
    const [, , , broadcast, confirmed] = path(['held'], ['signed', { tx }], ['broadcast'], ['confirmed', { landed: { hash: tx.hash, blockNumber: 12 } }]);
    const [event] = withdrawalEventsOf(broadcast).slice(-1);
    expect(withdrawalWebhookBody(broadcast, event)).toEqual({
      event: 'withdrawal.broadcast',
      event_id: 'INV-W1TH0001:broadcast',
      withdrawal: {
        id: 'INV-W1TH0001',
        status: 'broadcast',
        currency: 'USDT_ERC20',
        amount: '25',
        fee: '1',
        to_address: base.toAddress,
        tx_hash: tx.hash,
        reason: null,
        created: new Date(T0).toISOString(),
        updated: new Date(T0 + 3).toISOString(),
      },
    });
    expect(withdrawalWebhookBody(confirmed, withdrawalEventsOf(confirmed)[2]).withdrawal).toMatchObject({ status: 'confirmed', tx_hash: tx.hash });
    const [, failed] = path(['failed', { reason: 'insufficient balance' }]);
    expect(withdrawalWebhookBody(failed, withdrawalEventsOf(failed)[1]).withdrawal).toMatchObject({ status: 'failed', tx_hash: null, reason: 'insufficient balance' });
  });
});

describe('the webhook body of a mass payout item', () => {
  it('adds the batch id and the merchant reference; a plain withdrawal carries neither', () => {
    const item = requestedWithdrawal('shop0000000001', T0, { id: 'PB-ABCDEFGH-0007', source: 'batch', batch: { id: 'PB-ABCDEFGH', index: 7, reference: 'salary-2030-01-bob' } });
    const failed = moveWithdrawal(item, 'failed', T0 + 1, { reason: 'insufficient balance when the withdrawal was processed' }) as Withdrawal;
    const body = withdrawalWebhookBody(failed, withdrawalEventsOf(failed)[1]);
    expect(body.event).toBe('withdrawal.failed');
    expect(body.withdrawal).toMatchObject({ id: 'PB-ABCDEFGH-0007', status: 'failed', batch_id: 'PB-ABCDEFGH', reference: 'salary-2030-01-bob' });
    const plain = withdrawalWebhookBody(base, withdrawalEventsOf(base)[0]).withdrawal;
    expect('batch_id' in plain || 'reference' in plain).toBe(false);
  });
});
