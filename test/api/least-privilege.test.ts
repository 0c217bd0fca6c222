/**
 * The runtime side of least privilege (issue 9, item 14): a function given only part of the
 * configuration still starts, and a part it was not given fails by name on use; health answers
 * with no configuration at all; RPC URLs are read on first use, never required in plain env.
 */
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRuntime, resetRuntime } from '../../functions/kit/deps';
import { handler as healthHandler } from '../../functions/http/health';
import { evmAccountXpub } from '../../lib/local/dev-defaults';
import { type Devnet, startDevnet } from '../../lib/local/engines/devnet';
import { queueUrlEnv } from '../../lib/manifest';
import { JsonRpcClient, RPC_DEFAULTS } from '../../shared/adapters/chains/evm/json-rpc';
import { loadConfig } from '../../shared/config';
import * as z from 'zod';
import { TEST_MNEMONIC } from '../support/gateway';

/** What the stack gives the wallet function: table, service name, log level, the rate mode. */
const WALLET_ENV = { SERVICE_NAME: 'tollgate', LOG_LEVEL: 'silent', TABLE_NAME: 'tollgate', RATES_MODE: 'fixed', AWS_REGION: 'us-east-1' };

describe('chain configuration', () => {
  it('refuses a token contract whose checksum is broken, naming the chain, the code and the contract', () => {
    const usdt = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
    const typo = `${usdt.slice(0, 10)}${usdt[10] === 'a' ? 'b' : 'a'}${usdt.slice(11)}`;
    expect(() => buildRuntime({ ...WALLET_ENV, CHAINS_JSON: JSON.stringify({ tron: { tokens: { USDT_TRC20: typo } } }) })).toThrow(
      `invalid configuration: CHAINS_JSON: token contracts with a bad checksum: tron: USDT_TRC20: ${typo}`,
    );
    // EIP-55: a mixed-case address with one letter's case flipped.
    const usdc = '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48';
    expect(() => buildRuntime({ ...WALLET_ENV, CHAINS_JSON: JSON.stringify({ ethereum: { tokens: { USDC_ERC20: usdc.replace('A0b', 'a0b') } } }) })).toThrow(/bad checksum: ethereum: USDC_ERC20/);
    // The registry's own contracts and a lower-case override pass.
    expect(() => buildRuntime({ ...WALLET_ENV, CHAINS_JSON: JSON.stringify({ ethereum: { tokens: { USDC_ERC20: usdc.toLowerCase() } }, tron: {}, bsc: {} }) })).not.toThrow();
  });
});

describe('a function given only its own settings', () => {
  it('starts, and refuses by name each part it was not given', async () => {
    const { deps } = buildRuntime(WALLET_ENV);
    await expect(deps.addresses.allocate('ethereum')).rejects.toThrow(/deposit addresses needs EVM_XPUB, which this function is not given/);
    expect(() => deps.settings.publicBaseUrl).toThrow(/PUBLIC_BASE_URL, which this function is not given/);
    await expect(deps.queue.send('observations', { id: 'x', body: {} })).rejects.toThrow(new RegExp(`no URL configured for queue observations \\(${queueUrlEnv('observations')}`));
    await expect(deps.cipher.encrypt('a project secret')).rejects.toThrow(/PROJECT_SECRETS_KEY_ARN .* which this function is not given/);
    expect(deps.chains).toEqual([]);
  });

  it('a chain reader with no inline URLs and no RPC secret fails on first use, naming both', async () => {
    const { deps } = buildRuntime({ ...WALLET_ENV, EVM_CHAINS_JSON: JSON.stringify({ ethereum: {} }) });
    expect(deps.chains.map((c) => c.chain)).toEqual(['ethereum']);
    // The deprecated EVM_CHAINS_JSON is named when it is what the deployment set; the secret's variable is RPC_URLS_SECRET_ARN now.
    await expect(deps.readChain('ethereum').head()).rejects.toThrow(/no RPC URLs for ethereum: EVM_CHAINS_JSON has none inline and this function is not given RPC_URLS_SECRET_ARN/);
    const renamed = buildRuntime({ ...WALLET_ENV, CHAINS_JSON: JSON.stringify({ ethereum: {} }) });
    await expect(renamed.deps.readChain('ethereum').head()).rejects.toThrow(/no RPC URLs for ethereum: CHAINS_JSON has none inline/);
  });

  it('refuses RPC URLs in plain EVM_CHAINS_JSON when the RPC secret is configured', () => {
    const env = { ...WALLET_ENV, EVM_RPC_URLS_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:1:secret:rpc', EVM_CHAINS_JSON: JSON.stringify({ ethereum: { rpcUrls: ['https://eth.example/KEY'] } }) };
    expect(() => loadConfig(env)).toThrow(/EVM_CHAINS_JSON: RPC URLs carry provider API keys/);
  });

  it('the invoices function still builds with everything it is given', () => {
    const { deps } = buildRuntime({
      ...WALLET_ENV,
      PUBLIC_BASE_URL: 'https://pay.example/',
      EVM_XPUB: evmAccountXpub(TEST_MNEMONIC),
      [queueUrlEnv('postbacks')]: 'http://127.0.0.1:9/000000000000/postbacks',
    });
    expect(deps.settings.publicBaseUrl).toBe('https://pay.example');
  });
});

describe('health', () => {
  const saved = { ...process.env };
  beforeAll(() => {
    for (const k of ['TABLE_NAME', 'PUBLIC_BASE_URL', 'EVM_XPUB', 'PROJECT_SECRETS_KEY', 'QUEUE_URL_POSTBACKS']) delete process.env[k];
    resetRuntime();
  });
  afterAll(() => {
    Object.assign(process.env, saved);
    resetRuntime();
  });

  it('answers with no configuration at all (its function is deployed with none)', async () => {
    const event = { version: '2.0', routeKey: 'GET /health', rawPath: '/health', headers: {}, requestContext: { requestId: 'r1', http: { method: 'GET', path: '/health' } }, isBase64Encoded: false };
    const out = (await healthHandler(event as unknown as APIGatewayProxyEventV2, {} as Context)) as APIGatewayProxyStructuredResultV2;
    expect(out.statusCode).toBe(200);
    expect(JSON.parse(out.body ?? '{}')).toEqual({ status: 'success', result: { status: 'ok' } });
  });
});

describe('RPC URLs resolved on first use', () => {
  let devnet: Devnet;
  beforeAll(async () => {
    devnet = await startDevnet({ blockTimeSeconds: null });
  }, 30_000);
  afterAll(() => devnet?.stop());

  it('reads them once, and tries again after a failed read instead of remembering it', async () => {
    let reads = 0;
    let fail = true;
    const client = new JsonRpcClient(
      async () => {
        reads += 1;
        if (fail) throw new Error('secret unreachable');
        return [devnet.rpcUrl];
      },
      { ...RPC_DEFAULTS, attempts: 1 },
    );
    await expect(client.call('eth_chainId', [], z.string())).rejects.toThrow('secret unreachable');
    fail = false;
    expect(await client.call('eth_chainId', [], z.string())).toBe(`0x${(31337).toString(16)}`);
    await client.call('eth_blockNumber', [], z.string());
    expect(reads).toBe(2);
  });

  it('a literal secret value is never echoed in an error', async () => {
    const key = randomBytes(8).toString('hex');
    const { deps } = buildRuntime({ ...WALLET_ENV, EVM_CHAINS_JSON: JSON.stringify({ ethereum: { rpcUrls: [`http://127.0.0.1:9/${key}`] } }), RPC_TIMEOUT_MS: '200' });
    const error = await deps.readChain('ethereum').head().catch((e: Error) => e.message);
    expect(String(error)).not.toContain(key);
  });
});
