/**
 * Automatic withdrawal rules end to end on the real table, devnet and workflow definitions:
 * money credited by the real watcher and crediting, rules made through the real API with real
 * TOTP codes, the real `withdrawal-rules` schedule handler run (twice, and concurrently) at an
 * injected clock, and the withdrawals it fires paid by the withdrawal workflow's real worker.
 */
import type { Context } from 'aws-lambda';
import { Contract, JsonRpcProvider, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../functions/kit/chain-senders-evm';
import { reconciliationReaders } from '../../functions/kit/reconciliation';
import { handler as evaluateSchedule } from '../../functions/schedules/withdrawal-rules';
import { hotWalletAddresses } from '../../lib/local/dev-defaults';
import { reconcile } from '../../shared/app/reconciliation';
import type { EvaluationSummary } from '../../shared/app/withdrawal-rules';
import type { Withdrawal } from '../../shared/domain/withdrawal';
import { call, newProject, TEST_MNEMONIC } from '../support/gateway';
import { type Harness, usePaymentsHarness } from '../support/payments-harness';
import { codeAt, enrol, STEP_MS, useManualClock } from '../support/second-factor';
import { skipFundedDevnetAccounts } from '../support/static-wallets';
import { useWorkflows } from '../support/workflows';

const USDT = (n: number) => BigInt(Math.round(n * 1e6));
const ERC20 = ['function balanceOf(address) view returns (uint256)'];
const MINUTE_MS = 60_000;

let h: Harness;
let clock: ReturnType<typeof useManualClock>;
let stopMining: (() => void) | null = null;
const flow = useWorkflows({ waitSeconds: 0 });

beforeAll(async () => {
  h = await usePaymentsHarness({ env: { MNEMONIC: TEST_MNEMONIC, WITHDRAWAL_COOLING_OFF_HOURS: '0', HOT_WALLETS_JSON: JSON.stringify({ ethereum: hotWalletAddresses(TEST_MNEMONIC).evm }) } });
  // Near the real time, so the devnet's block times and the invoices' windows agree; moved by the tests only.
  clock = useManualClock(h.deps, Date.now());
  await skipFundedDevnetAccounts(h.deps);
  await h.settle();
  // The hot wallet: gas, and the tokens sweeps would have brought it.
  await h.fundHotWallet({ eth: 10n ** 18n * 5n, usdt: USDT(100_000) });
  // Confirmations need blocks: the devnet mines only when told to.
  stopMining = h.keepMining();
}, 90_000);

afterAll(async () => {
  stopMining?.();
  await h?.stop();
});

const evaluate = () => evaluateSchedule({}, {} as Context) as Promise<EvaluationSummary>;

async function fresh(secret: string) {
  clock.advance(STEP_MS);
  return codeAt(secret, clock.now());
}

/** `usd` more of USDT_ERC20 credited to the shop by a real payment. */
async function credit(shop: Awaited<ReturnType<typeof newProject>>, usd: number) {
  const before = (await h.deps.ledger.balance(shop.shopId, 'USDT_ERC20')).available;
  const invoice = await h.invoiceFor(shop.project, 'USDT_ERC20', usd);
  await h.pay(invoice.selection?.address as string, invoice.selection?.amountToPay as bigint);
  for (let i = 0; i < 20 && (await h.deps.ledger.balance(shop.shopId, 'USDT_ERC20')).available === before; i++) await h.settle();
}

/** A project with a second factor and a saved USDT_ERC20 wallet (no cooling-off in this file), and a rule made through the API. */
async function shopWithRule(rule: Record<string, unknown>, patch: Record<string, unknown> = {}) {
  const shop = await newProject({ testMode: false, partialTolerance: 'none', ...patch });
  const factor = await enrol(shop.shopId, clock.now);
  const recipient = Wallet.createRandom().address;
  const wallet = await call('api.withdrawal_wallet.add', { apiKey: shop.apiKey, body: { currency: 'USDT_ERC20', address: recipient, totp_code: await fresh(factor.secret) } });
  expect(wallet.status, JSON.stringify(wallet.body)).toBe(200);
  const made = await call('api.withdrawal_rule.create', { apiKey: shop.apiKey, body: { wallet_id: (wallet.body.result as { id: string }).id, ...rule, totp_code: await fresh(factor.secret) } });
  expect(made.status, JSON.stringify(made.body)).toBe(200);
  return { ...shop, recipient, ruleId: (made.body.result as { id: string }).id };
}

const ruleWithdrawals = async (shopId: string): Promise<Withdrawal[]> => (await h.deps.withdrawals.listByProject(shopId, { limit: 100, cursor: null })).items.filter((w) => w.source === 'rule');

async function tokenBalance(address: string): Promise<bigint> {
  const token = new Contract(h.devnet.tokens.USDT_ERC20, ERC20, new JsonRpcProvider(h.devnet.rpcUrl, undefined, { staticNetwork: true }));
  for (let attempt = 1; ; attempt++) {
    try {
      return (await token.balanceOf(address, { blockTag: 'latest' })) as bigint;
    } catch (e) {
      if (attempt >= 5) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

describe('a rule by amount', () => {
  it('fires once at the threshold (evaluated twice and concurrently), and again only after the balance fell below it and crossed again', async () => {
    const shop = await shopWithRule({ trigger: 'amount', threshold_usd: '100' });
    await credit(shop, 60);
    await evaluate();
    expect(await ruleWithdrawals(shop.shopId)).toEqual([]);

    await credit(shop, 60);
    const available = (await h.deps.ledger.balance(shop.shopId, 'USDT_ERC20')).available;
    const runs = await Promise.all([evaluate(), evaluate(), evaluate()]);
    await evaluate();
    expect(runs.reduce((n, r) => n + r.fired, 0)).toBe(1);
    const [first, ...more] = await ruleWithdrawals(shop.shopId);
    expect(more).toEqual([]);
    // All of it: the hold (amount and the merchant's fee) is the whole available balance.
    expect(first.holdAmount).toBe(available);
    expect(first.toAddress).toBe(shop.recipient);
    expect((await flow.waitFor(first.id, 'withdrawal', 90_000)).status).toBe('succeeded');
    const paid = (await h.deps.withdrawals.get(first.id)) as Withdrawal;
    expect(paid.status).toBe('confirmed');
    expect(await tokenBalance(shop.recipient)).toBe(paid.sendAmount);

    // Nothing left: seen below the threshold, the rule re-arms; nothing fires until it is crossed again.
    const rearm = await evaluate();
    expect(rearm.rearmed).toBeGreaterThanOrEqual(1);
    await evaluate();
    await credit(shop, 50);
    await evaluate();
    expect(await ruleWithdrawals(shop.shopId)).toHaveLength(1);
    await credit(shop, 60);
    await Promise.all([evaluate(), evaluate()]);
    const both = await ruleWithdrawals(shop.shopId);
    expect(both).toHaveLength(2);
    const second = both.find((w) => w.id !== first.id) as Withdrawal;
    expect((await flow.waitFor(second.id, 'withdrawal', 90_000)).status).toBe('succeeded');

    // Each firing is in the audit trail with its withdrawal, as the system.
    const audit = await h.deps.audit.list(shop.shopId, 100, null);
    const fired = audit.events.filter((e) => e.action === 'withdrawal_rule.fired');
    expect(fired.map((e) => e.details.withdrawal_id).sort()).toEqual([first.id, second.id].sort());
    expect(fired.map((e) => e.details.firing).sort()).toEqual(['crossing-1', 'crossing-2']);
    expect(fired.every((e) => e.actor === 'system' && e.subject === shop.ruleId)).toBe(true);
  }, 240_000);
});

describe('a rule by schedule', () => {
  it('fires at the set time in the project\'s zone, once, even when the schedule runs twice', async () => {
    // India has no DST: the next day's time is 24 h later whatever the date the test runs on.
    const zone = 'Asia/Kolkata';
    // Three minutes from the clock, on a minute: the set time as Kolkata shows it.
    const due = Math.floor((clock.now() + 3 * MINUTE_MS) / MINUTE_MS) * MINUTE_MS;
    const hhmm = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(due);
    const shop = await shopWithRule({ trigger: 'schedule', every: 'daily', time: hhmm }, { timeZone: zone });
    await credit(shop, 40);
    const listed = await call('api.withdrawal_rule.list', { apiKey: shop.apiKey });
    expect((listed.body.result as { withdrawal_rules: { next_run: string }[] }).withdrawal_rules[0].next_run).toBe(new Date(due).toISOString());

    // Before the time: nothing.
    clock.advance(due - 1_000 - clock.now());
    await evaluate();
    expect(await ruleWithdrawals(shop.shopId)).toEqual([]);

    // At the time, two runs at once and one more a minute later: one withdrawal.
    clock.advance(6_000);
    const available = (await h.deps.ledger.balance(shop.shopId, 'USDT_ERC20')).available;
    const runs = await Promise.all([evaluate(), evaluate()]);
    clock.advance(MINUTE_MS);
    await evaluate();
    expect(runs.reduce((n, r) => n + r.fired, 0)).toBe(1);
    const made = await ruleWithdrawals(shop.shopId);
    expect(made).toHaveLength(1);
    expect(made[0].holdAmount).toBe(available);
    expect((await flow.waitFor(made[0].id, 'withdrawal', 90_000)).status).toBe('succeeded');
    expect(await tokenBalance(shop.recipient)).toBe(((await h.deps.withdrawals.get(made[0].id)) as Withdrawal).sendAmount);

    const rule = (await call('api.withdrawal_rule.list', { apiKey: shop.apiKey })).body.result as { withdrawal_rules: { last_firing: { key: string; withdrawal_id: string }; next_run: string }[] };
    expect(rule.withdrawal_rules[0].last_firing).toMatchObject({ key: new Date(due).toISOString(), withdrawal_id: made[0].id });
    expect(rule.withdrawal_rules[0].next_run).toBe(new Date(due + 24 * 60 * MINUTE_MS).toISOString());

    // The next day's time with an empty balance: skipped with a reason, no withdrawal, no error.
    clock.advance(due + 24 * 60 * MINUTE_MS + 5_000 - clock.now());
    const next = await evaluate();
    expect(next).toMatchObject({ skipped: 1, fired: 0, failed: 0 });
    expect(await ruleWithdrawals(shop.shopId)).toHaveLength(1);
  }, 240_000);
});

describe('after the rules fired', () => {
  it('reconciliation finds no drift: what the rules withdrew left the hot wallet and the books alike', async () => {
    const report = await reconcile(h.deps, reconciliationReaders());
    expect(report.balanceDrifts).toEqual([]);
    expect(report.assets.filter((a) => a.verdict === 'shortfall')).toEqual([]);
    expect(report.drift).toBe(false);
  }, 60_000);
});
