/**
 * The EVM devnet engine: anvil with the USDT-like test token, the payer, payments, the reorg
 * primitive (snapshot / mine / revert), persistence across restarts, and the RPC fault simulator.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Interface, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPLOYER_PRIVATE_KEY, type Devnet, devnetPay, mine, revert, rpc, snapshot, startDevnet } from '../../lib/local/engines/devnet';
import { type RpcFaultProxy, startRpcFaultProxy } from '../support/rpc-fault-proxy';

const ERC20 = new Interface([
  'function decimals() view returns (uint8)',
  'function symbol() view returns (string)',
  'function balanceOf(address) view returns (uint256)',
  'function transfer(address,uint256)',
]);
const USDT = 10n ** 6n;
const ETH = 10n ** 18n;

const call = async (rpcUrl: string, to: string, fn: string, args: unknown[] = [], from?: string) =>
  rpc<string>(rpcUrl, 'eth_call', [{ to, data: ERC20.encodeFunctionData(fn, args), ...(from ? { from } : {}) }, 'latest']);
const tokenBalance = async (rpcUrl: string, token: string, holder: string) => BigInt(await call(rpcUrl, token, 'balanceOf', [holder]));
const ethBalance = async (rpcUrl: string, holder: string) => BigInt(await rpc<string>(rpcUrl, 'eth_getBalance', [holder, 'latest']));
const freshAddress = () => Wallet.createRandom().address;

const devnets: Devnet[] = [];
const proxies: RpcFaultProxy[] = [];
let devnet: Devnet;
const stateDir = mkdtempSync(join(tmpdir(), 'tollgate-devnet-'));

beforeAll(async () => {
  devnet = await startDevnet({ blockTimeSeconds: null });
  devnets.push(devnet);
});
afterAll(async () => {
  await Promise.all([...devnets.map((d) => d.stop()), ...proxies.map((p) => p.stop())]);
  rmSync(stateDir, { recursive: true, force: true });
});

describe('devnet engine', () => {
  it('deploys a 6-decimal USDT and funds the payer with USDT and ETH', async () => {
    const { rpcUrl, tokens, payerAddress } = devnet;
    expect(devnet.chainId).toBe(31337);
    expect(Number(await rpc<string>(rpcUrl, 'eth_chainId'))).toBe(31337);
    expect(Number(ERC20.decodeFunctionResult('decimals', await call(rpcUrl, tokens.USDT_ERC20, 'decimals'))[0])).toBe(6);
    expect(ERC20.decodeFunctionResult('symbol', await call(rpcUrl, tokens.USDT_ERC20, 'symbol'))[0]).toBe('USDT');
    expect(await tokenBalance(rpcUrl, tokens.USDT_ERC20, payerAddress)).toBeGreaterThanOrEqual(1_000_000n * USDT);
    expect(await ethBalance(rpcUrl, payerAddress)).toBeGreaterThanOrEqual(1_000n * ETH);
  });

  it('returns no data from transfer, like mainnet USDT', async () => {
    const data = await call(devnet.rpcUrl, devnet.tokens.USDT_ERC20, 'transfer', [freshAddress(), 1n], devnet.payerAddress);
    expect(data).toBe('0x');
  });

  it('pays USDT and ETH from the payer', async () => {
    const { rpcUrl, tokens, payerPrivateKey, payerAddress } = devnet;
    const to = freshAddress();
    const before = await tokenBalance(rpcUrl, tokens.USDT_ERC20, payerAddress);
    const [usdt, eth] = await Promise.all([
      devnetPay(rpcUrl, payerPrivateKey, { token: tokens.USDT_ERC20, to, amount: 12_500_000n }),
      devnetPay(rpcUrl, payerPrivateKey, { token: null, to, amount: 3n * ETH }),
    ]);
    expect(usdt.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(eth.txHash).not.toBe(usdt.txHash);
    expect(await tokenBalance(rpcUrl, tokens.USDT_ERC20, to)).toBe(12_500_000n);
    expect(await tokenBalance(rpcUrl, tokens.USDT_ERC20, payerAddress)).toBe(before - 12_500_000n);
    expect(await ethBalance(rpcUrl, to)).toBe(3n * ETH);
  });

  it('deploys a fake token with the same symbol at another address', async () => {
    const fake = await devnet.deployFakeToken();
    expect(fake.toLowerCase()).not.toBe(devnet.tokens.USDT_ERC20.toLowerCase());
    expect(ERC20.decodeFunctionResult('symbol', await call(devnet.rpcUrl, fake, 'symbol'))[0]).toBe('USDT');
    const to = freshAddress();
    await devnetPay(devnet.rpcUrl, devnet.payerPrivateKey, { token: fake, to, amount: 5n * USDT });
    expect(await tokenBalance(devnet.rpcUrl, fake, to)).toBe(5n * USDT);
    expect(await tokenBalance(devnet.rpcUrl, devnet.tokens.USDT_ERC20, to)).toBe(0n);
  });

  it('reorgs with snapshot, revert and mine: the block hash changes and the receipt disappears', async () => {
    const { rpcUrl } = devnet;
    const id = await snapshot(rpcUrl);
    const { txHash } = await devnetPay(rpcUrl, devnet.payerPrivateKey, { token: devnet.tokens.USDT_ERC20, to: freshAddress(), amount: USDT });
    const receipt = await rpc<{ blockNumber: string; blockHash: string }>(rpcUrl, 'eth_getTransactionReceipt', [txHash]);
    await mine(rpcUrl, 2);
    const height = Number(await rpc<string>(rpcUrl, 'eth_blockNumber'));

    await revert(rpcUrl, id);
    expect(await rpc(rpcUrl, 'eth_getTransactionReceipt', [txHash])).toBeNull();
    await mine(rpcUrl, 3);
    const replaced = await rpc<{ hash: string }>(rpcUrl, 'eth_getBlockByNumber', [receipt.blockNumber, false]);
    expect(replaced.hash).not.toBe(receipt.blockHash);
    expect(Number(await rpc<string>(rpcUrl, 'eth_blockNumber'))).toBeGreaterThanOrEqual(height);
    expect(await rpc(rpcUrl, 'eth_getTransactionReceipt', [txHash])).toBeNull();
  });

  it('keeps the chain and the token across restarts with a state file', async () => {
    const stateFile = join(stateDir, 'chain', 'state.json');
    const first = await startDevnet({ blockTimeSeconds: null, stateFile });
    devnets.push(first);
    const to = freshAddress();
    await devnetPay(first.rpcUrl, first.payerPrivateKey, { token: first.tokens.USDT_ERC20, to, amount: 7n * USDT });
    await first.stop();

    const second = await startDevnet({ blockTimeSeconds: null, stateFile });
    devnets.push(second);
    expect(second.tokens.USDT_ERC20).toBe(first.tokens.USDT_ERC20);
    expect(await rpc<string>(second.rpcUrl, 'eth_getCode', [second.tokens.USDT_ERC20, 'latest'])).not.toBe('0x');
    expect(await tokenBalance(second.rpcUrl, second.tokens.USDT_ERC20, to)).toBe(7n * USDT);
    expect(second.disperseContract).toBe(first.disperseContract);
    expect(await rpc<string>(second.rpcUrl, 'eth_getCode', [second.disperseContract, 'latest'])).not.toBe('0x');
    // Not redeployed: the deployer sent exactly the token's deploy, its mint and the disperse contract's deploy.
    expect(Number(await rpc<string>(second.rpcUrl, 'eth_getTransactionCount', [new Wallet(DEPLOYER_PRIVATE_KEY).address, 'latest']))).toBe(3);
    await second.stop();
  });
});

describe('RPC fault simulator', () => {
  const ask = async (url: string): Promise<'ok' | 'fault'> => {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'eth_chainId', params: [] }),
        signal: AbortSignal.timeout(2_000),
      });
      const body = JSON.parse(await res.text()) as { result?: string };
      return res.status === 200 && body.result === '0x7a69' ? 'ok' : 'fault';
    } catch {
      return 'fault';
    }
  };

  it('never answers validly at fault rate 1, always at 0, and forwards batches', async () => {
    const proxy = await startRpcFaultProxy({ target: devnet.rpcUrl, faultRate: 1, seed: 42, timeoutMs: 150 });
    proxies.push(proxy);
    const faulty = await Promise.all(Array.from({ length: 30 }, () => ask(proxy.url)));
    expect(faulty.every((r) => r === 'fault')).toBe(true);
    expect(proxy.stats.requests).toBe(30);
    const { timeout, http5xx, truncated } = proxy.stats.faults;
    expect(timeout + http5xx + truncated).toBe(30);
    expect(Math.min(timeout, http5xx, truncated)).toBeGreaterThan(0);

    proxy.setFaultRate(0);
    const healthy = await Promise.all(Array.from({ length: 30 }, () => ask(proxy.url)));
    expect(healthy.every((r) => r === 'ok')).toBe(true);

    const batch = await fetch(proxy.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        { jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] },
        { jsonrpc: '2.0', id: 2, method: 'eth_blockNumber', params: [] },
      ]),
    }).then((r) => r.json() as Promise<{ id: number; result: string }[]>);
    expect(batch.map((b) => b.id).sort()).toEqual([1, 2]);
    await proxy.stop();
  });
});
