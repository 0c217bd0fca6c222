/**
 * Every command of `tollgate help` against a real gateway (the local HTTP host and the real admin
 * handlers, DynamoDB Local, local SQS, anvil): each prints something a person can read without
 * `--json` (not empty, no `[object Object]`, no JSON document), says on stderr which gateway it
 * talked to, and a command added to the usage text without a case here fails the first test.
 * Also: `--version`, `help COMMAND`, unknown commands and chains, and the demo project's file
 * following a key rotation.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { getAddress, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetRuntime } from '../../functions/kit/deps';
import { HELP, run } from '../../lib/cli/main';
import { commandsOf } from '../../lib/cli/help';
import { CliError } from '../../lib/cli/target';
import { type DevnetInfo, demoPath, devnetChainSettings, hotWalletAddresses, runtimePath, secretsPath } from '../../lib/local/dev-defaults';
import { type Devnet, devnetPay, rpc, startDevnet } from '../../lib/local/engines/devnet';
import { type LocalQueues, startQueues } from '../../lib/local/engines/queues';
import { createHttpHost } from '../../lib/local/http-host';
import { queueEnvironment } from '../../lib/manifest';
import { makeDocumentClient } from '../../shared/adapters/dynamo/client';
import { keys } from '../../shared/adapters/dynamo/keys';
import { SqsQueue } from '../../shared/adapters/sqs/queue';
import { updateProject } from '../../shared/app/projects';
import { invoiceUuid } from '../../shared/domain/ids';
import type { Deps } from '../../shared/ports';
import { createTestInvoice } from '../support/builders';
import { ADMIN_TOKEN, call, newProject, TEST_MNEMONIC, useTestGateway } from '../support/gateway';
import { asAdmin, codeAt, STEP_MS, useManualClock } from '../support/second-factor';
import { useWorkflows } from '../support/workflows';
import { payNobody } from '../support/payout-batch-api';

// Withdrawals and batches stay where the handlers put them: the workers change nothing.
useWorkflows({ waitSeconds: 0, workers: { withdrawal: async (e) => ({ withdrawalId: e.withdrawalId, outcome: 'rejected' }), payout_batch: payNobody } });

let host: Server;
let url: string;
let deps: Deps;
let queues: LocalQueues;
let devnet: Devnet;
let clock: ReturnType<typeof useManualClock>;
const dir = mkdtempSync(join(tmpdir(), 'cli-every-'));
const USDT = 10n ** 6n;

beforeAll(async () => {
  devnet = await startDevnet({ blockTimeSeconds: null });
  queues = await startQueues();
  ({ deps } = await useTestGateway({
    CHAINS_JSON: JSON.stringify(devnetChainSettings({ rpcUrl: devnet.rpcUrl, tokens: devnet.tokens, disperseContract: devnet.disperseContract })),
    MNEMONIC: TEST_MNEMONIC,
    WITHDRAWAL_COOLING_OFF_HOURS: '0',
    SQS_ENDPOINT: queues.endpoint,
    ...queueEnvironment(queues.urls),
  }));
  // Second-factor codes are used once per 30 s step: the test moves the clock a step per code.
  clock = useManualClock(deps, Date.now());
  host = createHttpHost();
  await new Promise<void>((ready) => host.listen(0, '127.0.0.1', ready));
  url = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await new Promise((done) => host?.close(done));
  await queues?.stop();
  resetRuntime();
  await devnet?.stop();
});

type Printed = { out: string; err: string; code: number };

/** One CLI run against the test gateway; the prompt (totp enable) answers with the code of the secret it printed. */
async function cli(args: string[], env: Record<string, string> = {}, target = ['--endpoint', url, '--admin-token', ADMIN_TOKEN]): Promise<Printed> {
  const printed: Printed = { out: '', err: '', code: 0 };
  const ask = async (prompt: string) => {
    const shown = /secret[= ]([A-Z2-7]{16,})/.exec(`${printed.out}\n${prompt}`)?.[1];
    if (!shown) throw new Error('no secret before the prompt');
    // The enrolled project's later commands (wallets, rules, approvals) take codes of this secret.
    secret = shown;
    return code();
  };
  printed.code = await run([...args, ...target], env, (s) => (printed.out += s), ask, (s) => (printed.err += s));
  return printed;
}
const json = async <T = Record<string, unknown>>(args: string[], env: Record<string, string> = {}) => JSON.parse((await cli([...args, '--json'], env)).out) as T;

/** A fresh code of the project's authenticator (a step later than the last one). */
let secret = '';
const code = async () => {
  clock.advance(STEP_MS);
  return codeAt(secret, clock.now());
};

/** Commands whose human output quotes configuration to paste (JSON on purpose). */
const QUOTES_JSON = ['chain deploy-disperse', 'project go-live', 'keys init', 'keys show'];

function expectReadable(command: string, printed: string) {
  expect(printed.trim(), `${command} printed nothing`).not.toBe('');
  expect(printed, command).not.toContain('[object Object]');
  expect(printed, command).not.toMatch(/^\s*[[{]/);
  if (!QUOTES_JSON.includes(command)) expect(printed, command).not.toMatch(/"[a-z_]+"\s*:/);
  expect(printed, command).not.toMatch(/\bundefined\b|\bNaN\b/);
}

// What the scenarios make and later commands use.
const s = {} as {
  shop: string;
  pos: string;
  wallet: string;
  rule: string;
  staticWallet: string;
  invoice: string;
  partial: string;
  paying: { uuid: string; tx: string };
  withdrawal: string;
  batch: string;
  live: string;
  devnetDir: string;
  mnemonicFile: string;
};

/** Live, holding USDT_ERC20, with its second factor and a usable withdrawal wallet. */
async function liveShop() {
  const made = await newProject({ testMode: false, name: 'Live shop' });
  const db = makeDocumentClient({ region: 'us-east-1', endpoint: process.env.DYNAMODB_ENDPOINT });
  await db.send(new PutCommand({ TableName: process.env.TABLE_NAME, Item: { ...keys.balance(made.shopId, 'USDT_ERC20'), type: 'balance', code: 'USDT_ERC20', total: 1_000n * USDT, available: 1_000n * USDT } }));
  // Any batch waits for approval.
  await updateProject(deps, made.shopId, { payoutApprovalAboveUsd: '1' });
  return made.shopId;
}

/** Each command, in the order run, with the arguments it needs (made by the commands before it or here). */
const scenarios: [string, () => Promise<string[]> | string[], RegExp?][] = [
  ['help', () => ['help'], /Target now: gateway http:\/\/127\.0\.0\.1:\d+ \(from --endpoint\)/],
  [
    'project create',
    async () => ['project', 'create', '--name', 'Made by the CLI'],
    /Keys are shown once/,
  ],
  [
    'project list',
    async () => {
      s.shop = (await json<{ shop_id: string }>(['project', 'create', '--name', 'Every command'])).shop_id;
      return ['project', 'list'];
    },
    /^SHOP ID +NAME +MODE +NOTIFICATION URL +CREATED\n/,
  ],
  ['project show', () => ['project', 'show', s.shop], /\nsettings:\n {2}notification_url/],
  ['project update', () => ['project', 'update', s.shop, '--notification-url', 'https://shop.example/callback'], /notification_url +https:\/\/shop\.example\/callback/],
  // A project still in test mode fails the checklist: the ✗ line and its fix are the readable part.
  ['project go-live', () => ['project', 'go-live', s.shop], /✗ .*test mode[\s\S]*project update/i],
  ['link create', () => ['link', 'create', '--shop', s.shop, '--amount', '25'], /^link {9}https:/],
  ['pos create', () => ['pos', 'create', '--shop', s.shop, '--currency', 'USDT_ERC20', '--max', '500'], /shown once/],
  [
    'pos list',
    async () => {
      s.pos = (await json<{ id: string }>(['pos', 'create', '--shop', s.shop, '--currency', 'USDT_ERC20', '--max', '50', '--label', 'Front desk'])).id;
      return ['pos', 'list', '--shop', s.shop];
    },
    /^ID +LABEL +CURRENCY +MAX +CREATED +REVOKED\n[\s\S]*Front desk +USDT_ERC20 +50 USD/,
  ],
  ['pos revoke', () => ['pos', 'revoke', '--shop', s.shop, '--id', s.pos], /revoked_at +\d{4}-/],
  ['donation create', () => ['donation', 'create', '--shop', s.shop, '--slug', 'every-command', '--title', 'Tips'], /slug +every-command/],
  ['donation list', () => ['donation', 'list', '--shop', s.shop], /^SLUG +TITLE +AMOUNT +ENABLED +LINK\nevery-command +Tips +1-10000 USD +yes +https:\/\/pay\.test\/donate\/every-command\n/],
  ['donation show', () => ['donation', 'show', 'every-command', '--shop', s.shop], /totals:/],
  ['donation update', () => ['donation', 'update', 'every-command', '--shop', s.shop, '--title', 'More tips'], /More tips/],
  [
    'wallet static create',
    async () => ['wallet', 'static', 'create', s.shop, '--currency', 'USDT_ERC20', '--identify', 'customer-1'],
    /^address {4}0x/,
  ],
  [
    'wallet static list',
    async () => {
      s.staticWallet = (await json<{ uuid: string }>(['wallet', 'static', 'create', s.shop, '--currency', 'USDT_ERC20', '--identify', 'customer-1'])).uuid;
      return ['wallet', 'static', 'list', s.shop];
    },
    /^UUID/,
  ],
  ['wallet static show', () => ['wallet', 'static', 'show', s.shop, s.staticWallet], /No receipts yet/],
  ['wallet static block', () => ['wallet', 'static', 'block', s.shop, s.staticWallet], /blocked {4}yes/],
  ['wallet static unblock', () => ['wallet', 'static', 'unblock', s.shop, s.staticWallet], /blocked {4}no/],
  [
    'project totp enable',
    async () => {
      s.live = await liveShop();
      return ['project', 'totp', 'enable', s.live];
    },
    /Recovery codes/,
  ],
  [
    'project totp confirm',
    async () => {
      const other = (await newProject()).shopId;
      const started = await asAdmin('admin.second_factor.start', { pathParameters: { shopId: other }, body: {} });
      clock.advance(STEP_MS);
      return ['project', 'totp', 'confirm', other, '--code', await codeAt((started.body.result as { secret: string }).secret, clock.now())];
    },
    /Recovery codes/,
  ],
  [
    'project totp status',
    () => ['project', 'totp', 'status', s.live],
    /status +active/,
  ],
  [
    'withdrawal-wallet add',
    async () => ['withdrawal-wallet', 'add', s.live, '--currency', 'USDT_ERC20', '--address', getAddress(Wallet.createRandom().address), '--code', await code()],
    /^address +0x/,
  ],
  [
    'withdrawal-wallet list',
    async () => {
      s.wallet = (await json<{ id: string }>(['withdrawal-wallet', 'add', s.live, '--currency', 'USDT_ERC20', '--address', getAddress(Wallet.createRandom().address), '--label', 'Treasury', '--code', await code()])).id;
      clock.advance(1_000);
      return ['withdrawal-wallet', 'list', s.live];
    },
    /^ID +CURRENCY +ADDRESS +LABEL +STATE\n/,
  ],
  ['withdrawal-wallet change', async () => ['withdrawal-wallet', 'change', s.live, s.wallet, '--label', 'Cold store', '--code', await code()], /label +Cold store/],
  ['audit', () => ['audit', s.live], /^AT +ACTOR +ACTION/],
  ['rule create', async () => ['rule', 'create', s.live, '--wallet', s.wallet, '--threshold-usd', '500', '--code', await code()], /^id {9}wr_/],
  [
    'rule list',
    async () => {
      s.rule = (await json<{ withdrawal_rules: { id: string }[] }>(['rule', 'list', s.live])).withdrawal_rules[0].id;
      return ['rule', 'list', s.live];
    },
    /^ID +CURRENCY/,
  ],
  ['rule update', async () => ['rule', 'update', s.live, s.rule, '--enabled', 'false', '--code', await code()], /state {6}off/],
  ['rule delete', async () => ['rule', 'delete', s.live, s.rule, '--code', await code()], /^id {9}wr_/],
  [
    'withdrawal-wallet remove',
    async () => {
      const spare = await json<{ id: string }>(['withdrawal-wallet', 'add', s.live, '--currency', 'ETH', '--address', getAddress(Wallet.createRandom().address), '--code', await code()]);
      return ['withdrawal-wallet', 'remove', s.live, spare.id, '--code', await code()];
    },
    /state +removed \d{4}-/,
  ],
  ['key rotate', () => ['key', 'rotate', s.shop], /api_key +\S+[\s\S]*Keys are shown once/],
  [
    'invoice list',
    async () => {
      const project = await deps.projects.get(s.shop);
      if (!project) throw new Error('no project');
      s.invoice = invoiceUuid((await createTestInvoice(deps, project, { now: clock.now() })).id);
      const partial = await createTestInvoice(deps, project, { now: clock.now() });
      await deps.invoices.save({ ...partial, status: 'partial', version: partial.version + 1 }, partial.version);
      s.partial = invoiceUuid(partial.id);
      return ['invoice', 'list', s.shop];
    },
    /^INVOICE +STATUS +PRICE +CURRENCY +RECEIVED +ORDER +CREATED +MODE\n/,
  ],
  ['invoice show', () => ['invoice', 'show', s.invoice], /^invoice +INV-\w{8}\nstatus +created\nprice +10 USD \(10 USD\)\ncurrency +not chosen yet/],
  ['invoice confirm-test', () => ['invoice', 'confirm-test', s.invoice], /status +paid/],
  ['invoice confirm', () => ['invoice', 'confirm', s.partial], /status +paid/],
  [
    'invoice attach-tx',
    async () => {
      const project = await deps.projects.get(s.shop);
      if (!project) throw new Error('no project');
      const uuid = invoiceUuid((await createTestInvoice(deps, project, { now: clock.now() })).id);
      const chosen = await call('api.invoice.select', { apiKey: null, pathParameters: { invoiceId: uuid }, body: { currency: 'USDT_ERC20' } });
      const address = (chosen.body.result as { address: string }).address;
      const { txHash } = await devnetPay(devnet.rpcUrl, devnet.payerPrivateKey, { token: devnet.tokens.USDT_ERC20, to: address, amount: 3n * USDT });
      s.paying = { uuid, tx: txHash };
      return ['invoice', 'attach-tx', uuid, txHash];
    },
    /^Accepted: crediting follows[\s\S]*\nTRANSFER +AMOUNT \(BASE UNITS\) +BLOCK +CONF\n\S+ +3000000 +\d+ +\d+\//,
  ],
  ['postback log', () => ['postback', 'log', s.invoice], /^Events:\nEVENT ID +EVENT/],
  ['postback resend', () => ['postback', 'resend', s.invoice], /^Queued again/],
  [
    'postback dlq list',
    async () => {
      await new SqsQueue({ postbacks: queues.urls.postbacks.dlqUrl }, { region: 'us-east-1', endpoint: queues.endpoint }).sendMany('postbacks', [
        { id: 'parked', body: { eventId: 'INV-AAAAAAAA:success', kind: 'invoice.paid', invoiceId: 'AAAAAAAA' } },
      ]);
      return ['postback', 'dlq', 'list'];
    },
    /^MESSAGE ID +SENT +RECEIVES +JOB\n\S+ .*eventId=INV-AAAAAAAA:success/,
  ],
  ['postback dlq redrive', () => ['postback', 'dlq', 'redrive'], /queue +postbacks\nmoved +1/],
  ['withdraw create', () => ['withdraw', 'create', s.live, '--wallet', s.wallet, '--amount', '20'], /^id {7}INV-/],
  [
    'withdraw list',
    async () => {
      s.withdrawal = (await json<{ id: string }>(['withdraw', 'create', s.live, '--wallet', s.wallet, '--amount', '21'])).id;
      return ['withdraw', 'list', s.live];
    },
    /^ID +STATUS +AMOUNT +TO +TX +CREATED\n/,
  ],
  ['withdraw show', () => ['withdraw', 'show', s.live, s.withdrawal], /^id {7}INV-/],
  ['withdraw webhooks', () => ['withdraw', 'webhooks', s.withdrawal], /^Events:\nEVENT ID +EVENT +DELIVERED\nINV-\w{8}:created +withdrawal\.created +no\n\nNo delivery attempts yet\.\n$/],
  ['withdraw resend', () => ['withdraw', 'resend', s.withdrawal], /^Queued again/],
  ['withdraw cancel', () => ['withdraw', 'cancel', s.live, s.withdrawal], /status {3}canceled/],
  [
    'payout batch create',
    () => {
      const file = join(dir, 'payouts.csv');
      writeFileSync(file, `currency,to_address,amount,reference\nUSDT_ERC20,${getAddress(Wallet.createRandom().address)},5,ref-1\n`);
      return ['payout', 'batch', 'create', s.live, '--file', file, '--no-wait'];
    },
    /\S/,
  ],
  [
    'payout batch list',
    async () => {
      s.batch = (await json<{ batches: { id: string }[] }>(['payout', 'batch', 'list', s.live])).batches[0].id;
      return ['payout', 'batch', 'list', s.live];
    },
    /\S/,
  ],
  ['payout batch show', () => ['payout', 'batch', 'show', s.live, s.batch], /\S/],
  ['payout batch approve', async () => ['payout', 'batch', 'approve', s.live, s.batch, '--code', await code()], /\S/],
  ['chain dlq list', () => ['chain', 'dlq', 'list'], /The dead-letter queue is empty/],
  ['chain dlq redrive', () => ['chain', 'dlq', 'redrive'], /queue +observations\nmoved +0/],
  ['chain status', () => ['chain', 'status'], /^CHAIN +NAME +SCANNED TO +HEAD +LAG +HEAD SEEN +CURRENCIES\nethereum /],
  ['reconcile', () => ['reconcile'], /^Reconciliation at /],
  ['wallet hot', () => ['wallet', 'hot'], /^CHAIN +ADDRESS/],
  ['chain rescan', () => ['chain', 'rescan', 'ethereum', '--from', '0', '--to', '3'], /chain +ethereum\n/],
  ['chain deposits', () => ['chain', 'deposits', 'ethereum'], /\S/],
  [
    'chain deploy-disperse',
    async () => {
      s.mnemonicFile = join(dir, 'mnemonic.txt');
      writeFileSync(s.mnemonicFile, TEST_MNEMONIC);
      await rpc(devnet.rpcUrl, 'anvil_setBalance', [hotWalletAddresses(TEST_MNEMONIC).evm, `0x${(10n ** 20n).toString(16)}`]);
      return ['chain', 'deploy-disperse', 'ethereum', '--rpc-url', devnet.rpcUrl, '--mnemonic-file', s.mnemonicFile, '--chain-id', String(devnet.chainId)];
    },
    /0x[0-9a-fA-F]{40}/,
  ],
  // Deploy keys: a new mnemonic into a new file, then its public parts again from that file. Neither talks to a gateway.
  ['keys init', () => ['keys', 'init', '--mnemonic-file', join(dir, 'deploy-mnemonic.txt')], /EvmXpub/],
  ['keys show', () => ['keys', 'show', '--mnemonic-file', join(dir, 'deploy-mnemonic.txt')], /HotWalletsJson/],
  ['devnet info', () => ['devnet', 'info'], /^ethereum \(anvil devnet\)\n {2}rpc_url/],
  ['devnet pay', () => ['devnet', 'pay', '--code', 'USDT_ERC20', '--to', getAddress(Wallet.createRandom().address), '--amount', '1'], /tx_hash +0x[0-9a-f]{64}/],
];

/** The devnet commands read the local runtime's file (as `npm start` writes it), not a gateway. */
function devnetEnv(): Record<string, string> {
  if (!s.devnetDir) {
    s.devnetDir = mkdtempSync(join(tmpdir(), 'cli-devnet-'));
    const info: DevnetInfo = {
      rpc_url: devnet.rpcUrl,
      chain_id: devnet.chainId,
      chain: 'ethereum',
      codes: ['ETH', 'USDT_ERC20'],
      tokens: devnet.tokens,
      payer_private_key: devnet.payerPrivateKey,
      payer_address: devnet.payerAddress,
      disperse_contract: devnet.disperseContract,
    };
    writeFileSync(runtimePath(s.devnetDir), JSON.stringify({ url, devnet: info }));
  }
  return { TOLLGATE_DATA_DIR: s.devnetDir };
}

describe('every command of `tollgate help`', () => {
  it('has a case here (a new command gets its human output tested)', () => {
    expect(scenarios.map(([c]) => c).sort()).toEqual(commandsOf(HELP).sort());
  });

  for (const [command, args, expected] of scenarios) {
    it(`${command} prints readable output, and names its gateway on stderr`, async () => {
      const env = command.startsWith('devnet') ? devnetEnv() : {};
      const printed = await cli(await args(), env);
      expectReadable(command, printed.out);
      if (expected) expect(printed.out, command).toMatch(expected);
      const talksToGateway = command !== 'help' && !command.startsWith('devnet') && !command.startsWith('keys') && command !== 'chain deploy-disperse';
      if (talksToGateway) expect(printed.err, command).toBe(`tollgate → gateway ${url} (from --endpoint)\n`);
      else expect(printed.err, command).toBe('');
    });
  }

  it('--json prints the answer as JSON, and no header', async () => {
    const printed = await cli(['chain', 'status', '--json']);
    expect(JSON.parse(printed.out)).toEqual([expect.objectContaining({ chain: 'ethereum' })]);
    expect(printed.err).toBe('');
    expect(JSON.parse((await cli(['postback', 'log', s.invoice, '--json'])).out)).toMatchObject({ events: [expect.objectContaining({ event_id: expect.any(String) })], attempts: [] });
    expect(JSON.parse((await cli(['invoice', 'show', s.invoice, '--json'])).out)).toMatchObject({ uuid: s.invoice, status: 'paid', tx_list: [] });
    const page = await json<{ invoices: { uuid: string; status: string }[]; next_cursor: string | null }>(['invoice', 'list', s.shop, '--status', 'paid']);
    expect(page.invoices.map((i) => i.status)).toEqual(['paid', 'paid']);
    expect(page.invoices.map((i) => i.uuid).sort()).toEqual([s.invoice, s.partial].sort());
    expect(page.next_cursor).toBeNull();
  });
});

describe('tollgate invoice list', () => {
  it('pages with --cursor and filters by --status', async () => {
    const { project, shopId } = await newProject({ name: 'Paged' });
    for (let i = 0; i < 3; i += 1) await createTestInvoice(deps, project, { now: clock.now() });
    const first = await json<{ invoices: { uuid: string }[]; next_cursor: string | null }>(['invoice', 'list', shopId, '--status', 'created']);
    expect(first.invoices).toHaveLength(3);
    expect((await cli(['invoice', 'list', shopId, '--status', 'canceled'])).out).toBe('No invoices.\n');
    await expect(cli(['invoice', 'list', shopId, '--status', 'late'])).rejects.toThrow(new CliError('unknown --status "late"; valid: created, partial, paid, overpaid, canceled'));
    const all = await json<{ invoices: unknown[] }>(['invoice', 'list', shopId, '--cursor', '2']);
    expect(all.invoices).toHaveLength(1);
  });
});

describe('tollgate --version, help and unknown names', () => {
  it('--version prints package.json version', async () => {
    const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
    expect((await cli(['--version'], {}, [])).out).toBe(`tollgate ${version}\n`);
  });

  it('help COMMAND prints that command\'s lines; an unknown one lists the valid ones', async () => {
    const invoice = (await cli(['help', 'invoice'], {}, [])).out;
    expect(invoice.split('\n').filter(Boolean).every((l) => l.startsWith('  tollgate invoice '))).toBe(true);
    expect(invoice).toContain('tollgate invoice list SHOP_ID');
    expect((await cli(['help', 'wallet', 'static'], {}, [])).out).toContain('(a customer\'s permanent deposit address');
    await expect(cli(['help', 'invoices'], {}, [])).rejects.toThrow(/unknown command "invoices"; commands: help, project, link, /);
    await expect(cli(['invoice', 'frob', 'X'], {}, [])).rejects.toThrow(/unknown command "invoice frob X"; invoice has: invoice list, invoice show, /);
  });

  it('an unknown chain lists the valid ones, before asking any gateway', async () => {
    const valid = 'valid: ethereum, bsc, arbitrum, optimism, base, polygon, tron';
    await expect(cli(['chain', 'rescan', 'foo', '--from', '1', '--to', '2'], {}, [])).rejects.toThrow(new CliError(`unknown chain foo; ${valid}`));
    await expect(cli(['chain', 'rescan', '--chain', 'foo', '--from', '1', '--to', '2'], {}, [])).rejects.toThrow(new CliError(`unknown chain foo; ${valid}`));
    await expect(cli(['chain', 'deposits', 'dogecoin'], {}, [])).rejects.toThrow(new CliError(`unknown chain dogecoin; ${valid}`));
  });
});

describe('the demo project file follows a key rotation', () => {
  it('key rotate of the demo project through the local gateway writes the new keys to its file; they work, the old ones do not', async () => {
    const data = mkdtempSync(join(tmpdir(), 'cli-demo-'));
    const demo = await newProject({ name: 'Demo shop' });
    writeFileSync(secretsPath(data), JSON.stringify({ adminToken: ADMIN_TOKEN, mnemonic: TEST_MNEMONIC, projectSecretsKey: 'unused' }));
    writeFileSync(runtimePath(data), JSON.stringify({ url }));
    writeFileSync(demoPath(data), JSON.stringify({ shop_id: demo.shopId, api_key: demo.apiKey, secret_key: demo.secretKey }, null, 2));
    const env = { TOLLGATE_DATA_DIR: data };

    const rotated = await cli(['key', 'rotate', demo.shopId], env, []);
    expect(rotated.err).toBe(`tollgate → local gateway ${url} (data ${data})\n`);
    expect(rotated.out).toContain(`This is the demo project: its new keys are saved in ${demoPath(data)}`);
    const file = JSON.parse(readFileSync(demoPath(data), 'utf8')) as { shop_id: string; api_key: string; secret_key: string };
    expect(file.shop_id).toBe(demo.shopId);
    expect(file.api_key).not.toBe(demo.apiKey);
    expect(rotated.out).toContain(file.api_key);
    expect(file.secret_key).toBe(demo.secretKey);
    const create = (apiKey: string) => call('invoice.create', { apiKey, body: { shop_id: demo.shopId, amount: 10, currency: 'USD' } });
    expect((await create(file.api_key)).status).toBe(200);
    expect((await create(demo.apiKey)).status).not.toBe(200);

    // --secret, named by the local gateway's URL: the secret follows too; --json output is the same as before.
    const secretOnly = JSON.parse((await cli(['key', 'rotate', demo.shopId, '--secret', '--json'], env, ['--endpoint', url, '--admin-token', ADMIN_TOKEN])).out) as { secret_key: string; api_key?: string };
    const after = JSON.parse(readFileSync(demoPath(data), 'utf8')) as typeof file;
    expect(after).toEqual({ shop_id: demo.shopId, api_key: file.api_key, secret_key: secretOnly.secret_key });

    // Another project's rotation leaves the file alone.
    const other = await newProject();
    expect((await cli(['key', 'rotate', other.shopId], env, [])).out).not.toContain('demo project');
    expect(JSON.parse(readFileSync(demoPath(data), 'utf8'))).toEqual(after);
  });
});
