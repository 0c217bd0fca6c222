/**
 * `tollgate project go-live SHOP_ID` end to end: DynamoDB Local, anvil for Ethereum (its chain id
 * checked), a real HTTP listener as the notification URL, the local HTTP host with the real admin
 * handler, and the CLI. All green, then each failure with its fix.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resetRuntime } from '../../functions/kit/deps';
import { GO_LIVE_FAILED_EXIT, testModeWarning } from '../../lib/cli/go-live';
import { run } from '../../lib/cli/main';
import { devnetChainSettings, hotWalletAddresses } from '../../lib/local/dev-defaults';
import { type Devnet, devnetPay, mine, startDevnet } from '../../lib/local/engines/devnet';
import { createHttpHost } from '../../lib/local/http-host';
import type { SettingsPatch } from '../../shared/domain/project';
import { type Answer, type Receiver, startReceiver } from '../support/postback-receiver';
import { ADMIN_TOKEN, call, newProject, TEST_MNEMONIC, useTestGateway } from '../support/gateway';

type Check = { id: string; chain: string | null; status: 'pass' | 'fail' | 'warn'; title: string; detail: string; fix: string | null };
type Report = { shop_id: string; ready: boolean; failed: number; warned: number; checks: Check[] };

const HOT = hotWalletAddresses(TEST_MNEMONIC).evm;
let devnet: Devnet;
let receiver: Receiver;
let answer: (n: number) => Answer = () => ({ status: 200, body: 'ok' });
let host: Server;
let url: string;

/** The gateway over anvil: Ethereum served (ETH and the devnet's USDT), the hot wallet known, the listener on loopback allowed. */
const gatewayEnv = (env: Record<string, string> = {}) =>
  useTestGateway({
    CHAINS_JSON: JSON.stringify(devnetChainSettings({ rpcUrl: devnet.rpcUrl, tokens: devnet.tokens })),
    HOT_WALLETS_JSON: JSON.stringify({ ethereum: HOT }),
    POSTBACK_ALLOW_LOOPBACK: 'true',
    POSTBACK_TIMEOUT_MS: '800',
    RPC_TIMEOUT_MS: '1000',
    ALARM_EMAIL_CONFIGURED: 'true',
    ...env,
  });

const live = (patch: SettingsPatch = {}): SettingsPatch => ({
  testMode: false,
  notificationUrl: receiver.url,
  successUrl: 'https://shop.example/paid',
  failUrl: 'https://shop.example/failed',
  enabledCurrencies: ['ETH', 'USDT_ERC20'],
  ...patch,
});

async function report(shopId: string): Promise<Report> {
  const r = await call('admin.project.go_live', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, pathParameters: { shopId }, contentType: null });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.result as Report;
}
const check = (r: Report, id: string) => {
  const found = r.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no ${id} check in ${JSON.stringify(r.checks)}`);
  return found;
};

async function cli(...args: string[]): Promise<{ code: number; printed: string }> {
  let printed = '';
  const code = await run([...args, '--endpoint', url, '--admin-token', ADMIN_TOKEN], {}, (s) => {
    printed += s;
  });
  return { code, printed };
}

beforeAll(async () => {
  devnet = await startDevnet({ blockTimeSeconds: null });
  receiver = await startReceiver((n) => answer(n));
  await gatewayEnv();
  // The fee reserve: 0.05 ETH is Ethereum's default minimum.
  await devnetPay(devnet.rpcUrl, devnet.payerPrivateKey, { token: null, to: HOT, amount: 60_000_000_000_000_000n });
  await mine(devnet.rpcUrl, 1);
  host = createHttpHost();
  await new Promise<void>((ready) => host.listen(0, '127.0.0.1', ready));
  url = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await new Promise((done) => host?.close(done));
  await receiver?.stop();
  await devnet?.stop();
  resetRuntime();
});

describe('go-live check', () => {
  it('is all green for a live project: every item passes, and the probe is a POST a listener can recognise and ignore', async () => {
    const { shopId } = await newProject(live());
    const before = receiver.received.length;
    const r = await report(shopId);
    expect(r.checks.map((c) => [c.id, c.chain, c.status])).toEqual([
      ['test_mode', null, 'pass'],
      ['notification_url', null, 'pass'],
      ['return_urls', null, 'pass'],
      ['currencies', null, 'pass'],
      ['alarm_email', null, 'pass'],
      ['rpc', 'ethereum', 'pass'],
      ['hot_wallet', 'ethereum', 'pass'],
    ]);
    expect(r).toMatchObject({ ready: true, failed: 0, warned: 0 });
    expect(r.checks.every((c) => c.fix === null)).toBe(true);
    expect(check(r, 'rpc').detail).toMatch(/^chain id 31337, head block \d+$/);
    expect(check(r, 'hot_wallet').detail).toBe(`${HOT} holds 0.06 ETH (reserve 0.05 ETH)`);
    expect(check(r, 'notification_url').detail).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/postback answered HTTP 200 in \d+ ms$/);
    // One probe: form-encoded (the project's format), unsigned, status=check, test_mode=true, marked by its header.
    expect(receiver.received.length).toBe(before + 1);
    const probe = receiver.received[before];
    expect(probe.format).toBe('form');
    expect(probe.fields).toEqual({ status: 'check', event: 'go_live.check', test_mode: 'true', invoice_id: '', order_id: '' });
    expect(probe.headers['tollgate-check']).toBe('go-live');
    expect(probe.headers['tollgate-signature']).toBeUndefined();
  });

  it('a JSON-format project is probed in JSON, with test_mode a boolean', async () => {
    const { shopId } = await newProject(live({ postbackFormat: 'json' }));
    const before = receiver.received.length;
    expect((await report(shopId)).ready).toBe(true);
    expect(receiver.received[before]).toMatchObject({ format: 'json', fields: { status: 'check', test_mode: true } });
  });

  it('a new project fails test mode, the notification URL and the return URLs, and warns about currencies no chain serves; each with its command', async () => {
    const { shopId } = await newProject();
    const r = await report(shopId);
    expect(r).toMatchObject({ ready: false, failed: 3, warned: 1 });
    expect(check(r, 'test_mode')).toMatchObject({ status: 'fail', fix: `tollgate project update ${shopId} --test-mode false` });
    expect(check(r, 'notification_url')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/^no notification URL/), fix: `tollgate project update ${shopId} --notification-url https://your-shop.example/cryptocloud/callback` });
    expect(check(r, 'return_urls')).toMatchObject({
      status: 'fail',
      detail: 'no success or fail URL: the payment page cannot send the customer back to the shop',
      fix: `tollgate project update ${shopId} --success-url https://your-shop.example/checkout/success --fail-url https://your-shop.example/checkout/fail`,
    });
    const currencies = check(r, 'currencies');
    expect(currencies.status).toBe('warn');
    expect(currencies.detail).toMatch(/^served: ETH, USDT_ERC20; not served, so never offered to a payer \(chain not in ChainsJson: USDT_TRC20, /);
    expect(currencies.detail).toContain('no token contract on this chain (devnet: not deployed): USDC_ERC20, DAI_ERC20');
    expect(currencies.fix).toBe(`tollgate project update ${shopId} --currencies ETH,USDT_ERC20 (or add the chains to ChainsJson)`);
  });

  it('only a missing fail URL names only that flag', async () => {
    const { shopId } = await newProject(live({ failUrl: null }));
    expect(check(await report(shopId), 'return_urls')).toMatchObject({ status: 'fail', fix: `tollgate project update ${shopId} --fail-url https://your-shop.example/checkout/fail` });
  });

  it('a listener answering 4xx is reachable (it refused the unsigned probe); 5xx, silence and a closed port are not', async () => {
    const { shopId } = await newProject(live());
    answer = () => ({ status: 401, body: 'bad signature' });
    expect(check(await report(shopId), 'notification_url')).toMatchObject({ status: 'pass', detail: expect.stringMatching(/answered HTTP 401/) });
    answer = () => ({ status: 503, body: 'down' });
    const failing = await report(shopId);
    expect(failing.ready).toBe(false);
    expect(check(failing, 'notification_url')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/answered HTTP 503 in \d+ ms: the listener fails$/), fix: expect.stringMatching(/^fix the listener at http:\/\/127\.0\.0\.1:\d+\/postback/) });
    answer = () => 'hang';
    expect(check(await report(shopId), 'notification_url')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/: no answer within 800 ms$/), fix: expect.stringMatching(/^make http:\/\/127\.0\.0\.1:\d+\/postback reachable from the gateway/) });
    answer = () => ({ status: 302, body: '' });
    expect(check(await report(shopId), 'notification_url')).toMatchObject({ status: 'warn', detail: expect.stringMatching(/a redirect; postbacks do not follow redirects$/) });
    answer = () => ({ status: 200, body: 'ok' });
    const { shopId: closed } = await newProject(live({ notificationUrl: 'http://127.0.0.1:9/callback' }));
    expect(check(await report(closed), 'notification_url')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/^http:\/\/127\.0\.0\.1:9\/callback: ECONNREFUSED/) });
  });

  it('a project no configured chain serves fails currencies, and has no chain to check', async () => {
    const { shopId } = await newProject(live({ enabledCurrencies: ['USDT_TRC20', 'USDC_BASE'] }));
    const r = await report(shopId);
    expect(check(r, 'currencies')).toMatchObject({
      status: 'fail',
      detail: "none of the project's currencies is served: chain not in ChainsJson: USDT_TRC20, USDC_BASE",
      fix: 'add their chains to ChainsJson (stack parameter; CHAINS_JSON locally) and redeploy',
    });
    expect(r.checks.filter((c) => c.chain !== null)).toEqual([]);
  });
});

describe('go-live check: the deployment', () => {
  afterAll(() => gatewayEnv());

  it('an empty AlarmEmail fails; no stack (the local runtime) warns', async () => {
    await gatewayEnv({ ALARM_EMAIL_CONFIGURED: 'false' });
    const { shopId } = await newProject(live());
    const r = await report(shopId);
    expect(r.ready).toBe(false);
    expect(check(r, 'alarm_email')).toMatchObject({ status: 'fail', fix: 'deploy with --parameters AlarmEmail=ops@your-shop.example, then confirm the subscription e-mail from AWS' });
    delete process.env.ALARM_EMAIL_CONFIGURED;
    resetRuntime();
    expect(check(await report(shopId), 'alarm_email')).toMatchObject({ status: 'warn', detail: 'not a deployed stack: alarms exist on AWS only' });
  });

  it('an RPC endpoint serving another chain id fails its chain, and the hot wallet cannot be read there either', async () => {
    // Not a devnet: the endpoint must serve Ethereum mainnet (chain id 1); anvil serves 31337.
    await gatewayEnv({ CHAINS_JSON: JSON.stringify({ ethereum: { rpcUrls: [devnet.rpcUrl] } }) });
    const { shopId } = await newProject(live());
    const r = await report(shopId);
    expect(check(r, 'rpc')).toMatchObject({ status: 'fail', chain: 'ethereum', detail: 'the RPC endpoint for ethereum serves chain id 31337, expected 1; check its RPC URL', fix: 'fix CHAINS_JSON.ethereum.rpcUrls and restart' });
    expect(check(r, 'hot_wallet')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/^its balance could not be read: the RPC endpoint for ethereum serves chain id 31337/) });
  });

  it('an unreachable RPC endpoint fails within the probe deadline', async () => {
    await gatewayEnv({ CHAINS_JSON: JSON.stringify({ ethereum: { rpcUrls: ['http://127.0.0.1:9'], devnet: true, tokens: devnet.tokens } }) });
    const { shopId } = await newProject(live());
    const started = Date.now();
    const r = await report(shopId);
    expect(Date.now() - started).toBeLessThan(9_000);
    expect(check(r, 'rpc')).toMatchObject({ status: 'fail', fix: 'fix CHAINS_JSON.ethereum.rpcUrls and restart' });
  });

  it('an unfunded or unknown hot wallet fails with what to send where', async () => {
    const empty = '0x000000000000000000000000000000000000dEaD';
    await gatewayEnv({ HOT_WALLETS_JSON: JSON.stringify({ ethereum: empty }) });
    const { shopId } = await newProject(live());
    expect(check(await report(shopId), 'hot_wallet')).toMatchObject({
      status: 'fail',
      detail: `${empty} holds 0 ETH, below the 0.05 ETH fee reserve: sweeps and withdrawals stall`,
      fix: `send at least 0.05 ETH to ${empty} (minimum: HOT_WALLET_MIN_RESERVE_JSON)`,
    });
    process.env.HOT_WALLETS_JSON = '{}';
    resetRuntime();
    expect(check(await report(shopId), 'hot_wallet')).toMatchObject({ status: 'fail', fix: 'set its public address in HotWalletsJson (stack parameter): {"ethereum":"<address>"}' });
  });

  it('an unknown project is a 404 naming it', async () => {
    const r = await call('admin.project.go_live', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, pathParameters: { shopId: 'NOSUCH01' }, contentType: null });
    expect(r.status).toBe(404);
  });
});

describe('tollgate project go-live', () => {
  it('prints a ✓ line per item and exits 0 when ready; --json prints the report', async () => {
    const { shopId } = await newProject(live());
    const { code, printed } = await cli('project', 'go-live', shopId);
    expect(code).toBe(0);
    const lines = printed.split('\n');
    expect(lines[0]).toBe(`Go-live check of project ${shopId} on ${url}`);
    expect(lines.slice(2, 9)).toEqual([
      '✓ Test mode off: live',
      expect.stringMatching(/^✓ Notification URL set and answering: http:\/\/127\.0\.0\.1:\d+\/postback answered HTTP 200 in \d+ ms$/),
      '✓ Success and fail URLs set: both set',
      '✓ Currencies served by configured chains: all served: ETH, USDT_ERC20',
      '✓ Alarm e-mail configured: AlarmEmail is set (the address must have confirmed the subscription e-mail)',
      expect.stringMatching(/^✓ RPC endpoints of ethereum: chain id 31337, head block \d+$/),
      `✓ Hot wallet funded on ethereum: ${HOT} holds 0.06 ETH (reserve 0.05 ETH)`,
    ]);
    expect(lines.slice(9)).toEqual(['', 'Ready for real payments.', '']);
    const json = await cli('project', 'go-live', shopId, '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.printed)).toMatchObject({ shop_id: shopId, ready: true, failed: 0, checks: expect.any(Array) });
  });

  it('prints ✗ lines with their fix under them and exits 4 when something fails', async () => {
    const { shopId } = await newProject({ enabledCurrencies: ['ETH', 'USDT_ERC20', 'USDT_TRC20'] });
    const { code, printed } = await cli('project', 'go-live', shopId);
    expect(code).toBe(GO_LIVE_FAILED_EXIT);
    expect(printed).toContain(`✗ Test mode off: the project is in test mode: invoices can be confirmed without payment and postbacks carry test_mode=true\n    fix: tollgate project update ${shopId} --test-mode false\n`);
    expect(printed).toContain(`✗ Notification URL set and answering: no notification URL: the shop is never told an invoice was paid\n    fix: tollgate project update ${shopId} --notification-url `);
    expect(printed).toContain(`! Currencies served by configured chains: served: ETH, USDT_ERC20; not served, so never offered to a payer (chain not in ChainsJson: USDT_TRC20)\n    fix: tollgate project update ${shopId} --currencies ETH,USDT_ERC20`);
    expect(printed).toMatch(/\nNot ready: 3 items failed \(✗\), 1 warning \(!\) worth a look\. Apply each fix, then run this again\.\n$/);
    const json = await cli('project', 'go-live', shopId, '--json');
    expect(json.code).toBe(GO_LIVE_FAILED_EXIT);
    expect(JSON.parse(json.printed)).toMatchObject({ ready: false, failed: 3, warned: 1 });
  });

  it('project show on the local gateway does not warn about test mode', async () => {
    const { shopId } = await newProject();
    const stderr = vi.spyOn(process.stderr, 'write');
    try {
      await cli('project', 'show', shopId);
      expect(stderr.mock.calls.map(([s]) => String(s)).join('')).not.toContain('TEST MODE');
    } finally {
      stderr.mockRestore();
    }
  });
});

describe('test mode warning on a deployed stack', () => {
  const project = { shop_id: 'ABCD1234', test_mode: true };
  it('warns in one line for project create, show and update on a non-loopback endpoint', () => {
    for (const command of ['project create', 'project show', 'project update']) {
      const line = testModeWarning(command, 'https://pay.shop.example', project);
      expect(line).toBe(
        'tollgate: warning: project ABCD1234 on https://pay.shop.example is in TEST MODE (invoices can be confirmed without payment); go live: tollgate project update ABCD1234 --test-mode false, then tollgate project go-live ABCD1234\n',
      );
    }
  });
  it('is silent locally, for live projects and for other commands', () => {
    expect(testModeWarning('project show', undefined, project)).toBeNull();
    expect(testModeWarning('project show', 'http://127.0.0.1:8080', project)).toBeNull();
    expect(testModeWarning('project show', 'http://localhost:8080', project)).toBeNull();
    expect(testModeWarning('project show', 'http://[::1]:8080', project)).toBeNull();
    expect(testModeWarning('project show', 'https://pay.shop.example', { ...project, test_mode: false })).toBeNull();
    expect(testModeWarning('project list', 'https://pay.shop.example', [project])).toBeNull();
  });
});
