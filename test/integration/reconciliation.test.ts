/**
 * Reconciliation on real parts: DynamoDB Local, anvil with the test token, the real watcher and
 * crediting. A credited USDT payment reconciles with no drift (the deposit address holds exactly
 * what the ledger says); tokens moved out of the deposit address with its own key, and a tampered
 * balance item, are found, named and make `tollgate reconcile` exit non-zero; an unfunded hot
 * wallet shows a low fee reserve.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { HDNodeWallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetRuntime, runtime } from '../../functions/kit/deps';
import { reconciliationReaders } from '../../functions/kit/reconciliation';
import { RECONCILE_DRIFT_EXIT, run } from '../../lib/cli/main';
import { hotWalletAddresses } from '../../lib/local/dev-defaults';
import { devnetPay } from '../../lib/local/engines/devnet';
import { createHttpHost } from '../../lib/local/http-host';
import { makeDocumentClient } from '../../shared/adapters/dynamo/client';
import { keys } from '../../shared/adapters/dynamo/keys';
import { hotWalletViews, reconcile } from '../../shared/app/reconciliation';
import { CHAIN_FAMILIES } from '../../shared/domain/chain-families';
import type { ChainId } from '../../shared/domain/currencies';
import type { Invoice } from '../../shared/domain/invoice/invoice';
import { ADMIN_TOKEN, newProject, TEST_MNEMONIC } from '../support/gateway';
import { type Harness, usePaymentsHarness } from '../support/payments-harness';

const HOT = hotWalletAddresses(TEST_MNEMONIC);
const PAID = 12_500_000n; // 12.5 USDT
const STOLEN = 1_000_000n;
const ANVIL_FUNDED_ACCOUNTS = 10;

let h: Harness;
let host: Server;
let url: string;
let shopId: string;
let invoice: Invoice;

/**
 * The deposit item crediting keeps (keys.deposit: received, swept) with its sparse sweep queue
 * entry, as crediting writes it once deposit tracking lands there: reconciliation reads only these.
 */
async function recordDeposit(chain: ChainId, address: string, code: string, received: bigint) {
  const { config } = runtime();
  const db = makeDocumentClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
  await db.send(
    new UpdateCommand({
      TableName: config.TABLE_NAME,
      Key: keys.deposit(chain, address, code),
      UpdateExpression: 'ADD received :r SET #type = :t, chain = :c, address = :a, code = :code, gsi2pk = :q, gsi2sk = :due',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':r': received, ':t': 'deposit', ':c': chain, ':a': address, ':code': code, ':q': keys.sweepDue(chain, address, code).gsi2pk, ':due': keys.sweepDue(chain, address, code).gsi2sk },
    }),
  );
}

async function cli(...args: string[]): Promise<{ code: number; printed: string }> {
  let printed = '';
  const code = await run([...args, '--endpoint', url, '--admin-token', ADMIN_TOKEN], {}, (s) => {
    printed += s;
  });
  return { code, printed };
}

const usdtLine = (report: Awaited<ReturnType<typeof reconcile>>) => report.assets.find((a) => a.code === 'USDT_ERC20');

beforeAll(async () => {
  h = await usePaymentsHarness({ env: { HOT_WALLETS_JSON: JSON.stringify({ ethereum: HOT.evm }) } });
  await h.settle();
  ({ shopId } = await newProject({ name: 'Reconciled shop' }));
  const project = await h.deps.projects.get(shopId);
  if (!project) throw new Error('no project');
  // TEST_MNEMONIC is anvil's own: its first ten deposit addresses are the devnet's funded accounts (the payer holds the test USDT).
  do invoice = await h.invoiceFor(project, 'USDT_ERC20', 12.5);
  while ((invoice.selection?.derivationIndex ?? 0) < ANVIL_FUNDED_ACCOUNTS);
  const address = invoice.selection?.address as string;
  await h.pay(address, PAID);
  await h.mine(3);
  await h.settle();
  await recordDeposit('ethereum', address, 'USDT_ERC20', PAID);
  host = createHttpHost();
  await new Promise<void>((ready) => host.listen(0, '127.0.0.1', ready));
  url = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await new Promise((done) => host?.close(done));
  await h?.stop();
  resetRuntime();
});

describe('reconciliation on the devnet', () => {
  it('finds no drift after a real credited USDT payment: the deposit address holds exactly what the ledger says', async () => {
    expect((await h.invoice(invoice.id)).status).toBe('paid');
    const report = await reconcile(h.deps, reconciliationReaders());
    expect(report.unreadable).toEqual([]);
    expect(report.balanceDrifts).toEqual([]);
    expect(usdtLine(report)).toMatchObject({ chain: 'ethereum', ledger: { deposits: PAID, hot: 0n, total: PAID }, onChain: { deposits: PAID, depositAddresses: 1, hot: 0n }, difference: 0n, verdict: 'ok' });
    expect(report.drift).toBe(false);
    const { code, printed } = await cli('reconcile');
    expect(code).toBe(0);
    expect(printed).toMatch(/no drift/);
    expect(printed).toMatch(/ethereum\s+USDT_ERC20\s+12\.5\s+12\.5\s+0\s+1\s+ok/);
  });

  it('shows the unfunded hot wallet with a low fee reserve', async () => {
    const [view] = await hotWalletViews(h.deps, reconciliationReaders());
    expect(view).toMatchObject({ chain: 'ethereum', address: HOT.evm, nativeCode: 'ETH', native: 0n, low: true, tokens: [{ code: 'USDT_ERC20', balance: 0n }] });
    expect(view.minimum).toBe(50_000_000_000_000_000n);
    const json = JSON.parse((await cli('wallet', 'hot', '--json')).printed) as { chain: string; address: string; native_balance: string; min_reserve: string; low: boolean }[];
    expect(json).toEqual([expect.objectContaining({ chain: 'ethereum', address: HOT.evm, native_balance: '0', min_reserve: '0.05', low: true })]);
    expect((await cli('wallet', 'hot')).printed).toMatch(/ethereum\s+0x[0-9a-fA-F]{40}\s+0 ETH\s+0\.05 ETH\s+LOW/);
  });

  it('finds tokens moved out of the deposit address with its own key: names the chain, the currency and the amount, and the CLI exits non-zero', async () => {
    const selection = invoice.selection;
    if (!selection) throw new Error('no selection');
    const key = HDNodeWallet.fromPhrase(TEST_MNEMONIC, undefined, `${CHAIN_FAMILIES.evm.accountPath}/0/${selection.derivationIndex}`);
    expect(key.address.toLowerCase()).toBe(selection.address.toLowerCase());
    // Gas for the thief, then the token out: the books never hear of it.
    await devnetPay(h.devnet.rpcUrl, h.devnet.payerPrivateKey, { token: null, to: key.address, amount: 10n ** 16n });
    await devnetPay(h.devnet.rpcUrl, key.privateKey, { token: h.devnet.tokens.USDT_ERC20, to: h.devnet.payerAddress, amount: STOLEN });

    const report = await reconcile(h.deps, reconciliationReaders());
    expect(report.drift).toBe(true);
    expect(usdtLine(report)).toMatchObject({ chain: 'ethereum', code: 'USDT_ERC20', ledger: { total: PAID }, onChain: { total: PAID - STOLEN }, difference: -STOLEN, verdict: 'shortfall' });
    const { code, printed } = await cli('reconcile');
    expect(code).toBe(RECONCILE_DRIFT_EXIT);
    expect(printed).toMatch(/DRIFT/);
    expect(printed).toMatch(/ethereum\s+USDT_ERC20\s+12\.5\s+11\.5\s+-1\s+1\s+shortfall/);
    const json = JSON.parse((await cli('reconcile', '--json')).printed) as { drift: boolean; assets: { currency: string; difference: string; difference_units: string; drift: boolean }[] };
    expect(json.drift).toBe(true);
    expect(json.assets.find((a) => a.currency === 'USDT_ERC20')).toMatchObject({ difference: '-1', difference_units: '-1000000', drift: true });
  });

  it('finds a balance item that disagrees with the journal, naming the shop, the currency and the fields', async () => {
    const { config } = runtime();
    const db = makeDocumentClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
    await db.send(new UpdateCommand({ TableName: config.TABLE_NAME, Key: keys.balance(shopId, 'USDT_ERC20'), UpdateExpression: 'ADD available :x, #total :x', ExpressionAttributeNames: { '#total': 'total' }, ExpressionAttributeValues: { ':x': 5_000_000n } }));
    const report = await reconcile(h.deps, reconciliationReaders());
    expect(report.balanceDrifts).toHaveLength(1);
    const [drift] = report.balanceDrifts;
    expect(drift).toMatchObject({ shopId, code: 'USDT_ERC20', fields: ['total', 'available'] });
    expect(drift.stored.available - drift.journal.available).toBe(5_000_000n);
    const { code, printed } = await cli('reconcile');
    expect(code).toBe(RECONCILE_DRIFT_EXIT);
    expect(printed).toContain(shopId);
  });
});
