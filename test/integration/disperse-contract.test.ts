/**
 * The disperse contract (lib/contracts/TollgateDisperse.sol) and its EVM sender against anvil:
 * the committed artifact is what the source compiles to (offline solc-js), the devnet engine has
 * it deployed, and one transaction pays 200 recipients, one of them refused (the zero address,
 * which the USDT-like token refuses) without undoing the other 199, each reported by its event.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Contract, HDNodeWallet, Interface, JsonRpcProvider, Mnemonic, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../functions/kit/chain-senders-evm';
import { fundsOutDeps } from '../../functions/kit/chain-senders';
import { resetRuntime } from '../../functions/kit/deps';
import { run } from '../../lib/cli/main';
import { compileDisperse, disperseArtifact, readDisperseArtifact } from '../../lib/contracts/compile';
import { devnetChainSettings } from '../../lib/local/dev-defaults';
import { type Devnet, devnetPay, rpc, startDevnet } from '../../lib/local/engines/devnet';
import type { SignedTransfer } from '../../shared/domain/withdrawal';
import { CHAIN_FAMILIES } from '../../shared/domain/chain-families';
import type { ChainSender } from '../../shared/ports/funds-out';
import type { DisperseSender } from '../../shared/ports/payouts';
import { useTestGateway } from '../support/gateway';

const MNEMONIC = Mnemonic.fromEntropy(randomBytes(16)).phrase;
const USDT = 10n ** 6n;
const ZERO = '0x0000000000000000000000000000000000000000';

let devnet: Devnet;
let evm: ChainSender;
let disperse: DisperseSender;

const tokenBalance = async (address: string) =>
  (await new Contract(devnet.tokens.USDT_ERC20, ['function balanceOf(address) view returns (uint256)'], new JsonRpcProvider(devnet.rpcUrl, undefined, { staticNetwork: true })).balanceOf(address)) as bigint;

/** Signs at the hot wallet's next nonce (no other sender here), sends, and waits for its receipt (the devnet mines each transaction). */
async function send(sign: (nonce: number) => Promise<SignedTransfer>): Promise<SignedTransfer> {
  const tx = await sign((await evm.minedNonce(evm.hotAddress())) as number);
  expect((await evm.broadcast(tx)).kind).toBe('accepted');
  for (let i = 0; i < 200 && !(await evm.receipt(tx.hash)); i++) await new Promise((r) => setTimeout(r, 25));
  return tx;
}

beforeAll(async () => {
  devnet = await startDevnet({ blockTimeSeconds: null });
  const chains = devnetChainSettings({ rpcUrl: devnet.rpcUrl, tokens: devnet.tokens, disperseContract: devnet.disperseContract });
  await useTestGateway({ CHAINS_JSON: JSON.stringify(chains), MNEMONIC });
  evm = (await fundsOutDeps()).senders('ethereum');
  disperse = evm.disperse as DisperseSender;
  await rpc(devnet.rpcUrl, 'anvil_setBalance', [evm.hotAddress(), `0x${(10n ** 20n).toString(16)}`]);
  await devnetPay(devnet.rpcUrl, devnet.payerPrivateKey, { token: devnet.tokens.USDT_ERC20, to: evm.hotAddress(), amount: 1_000_000n * USDT });
}, 60_000);

afterAll(async () => {
  resetRuntime();
  await devnet?.stop();
});

describe('the contract', () => {
  it('compiles from its source offline to exactly the committed artifact', () => {
    const committed = readDisperseArtifact();
    const fresh = disperseArtifact();
    expect(fresh.bytecode).toBe(compileDisperse().bytecode);
    expect(committed).toEqual(fresh);
  });

  it('is deployed on the devnet by the engine, and the chain sender pays through it', async () => {
    expect(await rpc<string>(devnet.rpcUrl, 'eth_getCode', [devnet.disperseContract, 'latest'])).not.toBe('0x');
    expect(disperse.contract).toBe(devnet.disperseContract);
  });

  it('reverts when the recipients and amounts differ in length, and when the token is no contract', async () => {
    const abi = new Interface(['function disperseToken(address token, address[] to, uint256[] amounts)']);
    const call = (token: string, to: string[], amounts: bigint[]) =>
      rpc(devnet.rpcUrl, 'eth_call', [{ from: evm.hotAddress(), to: devnet.disperseContract, data: abi.encodeFunctionData('disperseToken', [token, to, amounts]) }, 'latest']);
    await expect(call(devnet.tokens.USDT_ERC20, [Wallet.createRandom().address], [1n, 2n])).rejects.toThrow(/revert/i);
    await expect(call(Wallet.createRandom().address, [Wallet.createRandom().address], [1n])).rejects.toThrow(/revert/i);
  });
});

describe('one disperse transaction', () => {
  it('pays 199 of 200 recipients; the refused one (the zero address) is reported and undoes nothing', async () => {
    expect(await disperse.allowance('USDT_ERC20')).toBe(0n);
    const quote = await evm.quoteFee('USDT_ERC20');
    const approval = await send((nonce) => disperse.signApproval({ code: 'USDT_ERC20', nonce, fee: quote.bid, now: Date.now() }));
    expect((await evm.receipt(approval.hash))?.status).toBe('success');
    expect(await disperse.allowance('USDT_ERC20')).toBe(2n ** 256n - 1n);

    const recipients = Array.from({ length: 200 }, (_, i) => ({ to: i === 137 ? ZERO : Wallet.createRandom().address, amount: BigInt(i + 1) * USDT }));
    const hotBefore = await tokenBalance(evm.hotAddress());
    const disperseQuote = await disperse.quoteDisperse('USDT_ERC20', recipients.length);
    const tx = await send((nonce) => disperse.signDisperse({ code: 'USDT_ERC20', recipients, nonce, fee: disperseQuote.bid, now: Date.now() }));

    const result = await disperse.disperseResult(tx.hash, recipients.length);
    expect(result?.receipt.status).toBe('success');
    expect(result?.paid.filter(Boolean).length).toBe(199);
    expect(result?.paid[137]).toBe(false);
    // What it burned stays inside what was quoted for it.
    expect(result?.receipt.nativeCost).toBeLessThanOrEqual(disperseQuote.maxNativeCost);
    const balances = await Promise.all(recipients.map((r) => (r.to === ZERO ? Promise.resolve(0n) : tokenBalance(r.to))));
    expect(balances.filter((b, i) => b === recipients[i].amount && i !== 137).length).toBe(199);
    const paidTotal = recipients.reduce((sum, r, i) => (i === 137 ? sum : sum + r.amount), 0n);
    expect(await tokenBalance(evm.hotAddress())).toBe(hotBefore - paidTotal);
  }, 60_000);

  it('answers null for a transaction in no block, and refuses a receipt that is not a disperse of that many recipients', async () => {
    expect(await disperse.disperseResult(`0x${'ab'.repeat(32)}`, 3)).toBeNull();
    const plain = await send(async (nonce) => evm.sign({ from: { kind: 'hot' }, code: 'USDT_ERC20', to: Wallet.createRandom().address, amount: 1n, nonce, fee: (await evm.quoteFee('USDT_ERC20')).bid, now: Date.now() }));
    await expect(disperse.disperseResult(plain.hash, 1)).rejects.toThrow(/reports nothing for recipient 0/);
  });
});

describe('tollgate chain deploy-disperse', () => {
  it('deploys the committed artifact from the hot wallet of a mnemonic read from a file, and prints the ChainsJson to set', async () => {
    const phrase = Mnemonic.fromEntropy(randomBytes(16)).phrase;
    const hot = HDNodeWallet.fromPhrase(phrase, undefined, CHAIN_FAMILIES.evm.hotWalletPath).address;
    await rpc(devnet.rpcUrl, 'anvil_setBalance', [hot, `0x${(10n ** 18n).toString(16)}`]);
    const file = join(mkdtempSync(join(tmpdir(), 'tollgate-deploy-')), 'mnemonic');
    writeFileSync(file, `${phrase}\n`, { mode: 0o600 });
    const lines: string[] = [];
    const argv = ['chain', 'deploy-disperse', 'ethereum', '--rpc-url', devnet.rpcUrl, '--mnemonic-file', file, '--chain-id', '31337', '--json'];
    expect(await run(argv, {}, (s) => lines.push(s), async () => Promise.reject(new Error('no prompt expected')))).toBe(0);
    const out = JSON.parse(lines.join('')) as { contract: string; deployer: string; chains_json: Record<string, { disperseContract: string }> };
    expect(out.deployer).toBe(hot);
    expect(out.chains_json).toEqual({ ethereum: { disperseContract: out.contract } });
    expect(lines.join('')).not.toContain(phrase);
    // The same runtime code as the devnet engine's (compiled from the same source).
    expect(await rpc<string>(devnet.rpcUrl, 'eth_getCode', [out.contract, 'latest'])).toBe(await rpc<string>(devnet.rpcUrl, 'eth_getCode', [devnet.disperseContract, 'latest']));
  });

  it('refuses an endpoint of another chain than the one named, before reading any mnemonic', async () => {
    const argv = ['chain', 'deploy-disperse', 'ethereum', '--rpc-url', devnet.rpcUrl];
    await expect(run(argv, {}, () => {}, async () => Promise.reject(new Error('asked for the mnemonic')))).rejects.toThrow(/serves chain id 31337, not Ethereum's 1/);
    await expect(run(['chain', 'deploy-disperse', 'tron', '--rpc-url', devnet.rpcUrl], {}, () => {})).rejects.toThrow(/needs an EVM chain/);
    await expect(run(['chain', 'deploy-disperse', 'ethereum'], {}, () => {})).rejects.toThrow(/RPC URL/);
  });
});
