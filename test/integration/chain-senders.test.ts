/**
 * The signing half of the chain adapters against anvil and the TronGrid simulator (burn mode):
 * keys from the mnemonic match the watch-only deposit addresses, transfers from a deposit index
 * and from the hot wallet land, a resent transaction lands once, replace-by-fee lands one of two,
 * receipts' native cost is what the balance lost and the quote covers it; the nonce store hands
 * out distinct nonces under 50 concurrent takes (DynamoDB Local).
 */
import { randomBytes } from 'node:crypto';
import { HDNodeWallet, Mnemonic, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../functions/kit/chain-senders-evm';
import '../../functions/kit/chain-senders-tron';
import { fundsOutDeps } from '../../functions/kit/chain-senders';
import { resetRuntime } from '../../functions/kit/deps';
import { accountXpub, devnetChainSettings } from '../../lib/local/dev-defaults';
import { devnetPay, type Devnet, rpc, startDevnet } from '../../lib/local/engines/devnet';
import { MAINNET_RESOURCES, SIMULATED_TOKENS, startTronGridSimulator, type TronGridSimulator } from '../../lib/local/simulators/trongrid-simulator';
import { deriveEvmAddress } from '../../shared/adapters/chains/evm/address';
import { deriveTronAddress, tronAddressFromEvm } from '../../shared/adapters/chains/tron/address';
import { MnemonicError, validMnemonic } from '../../shared/adapters/secrets/mnemonic';
import { CHAIN_FAMILIES } from '../../shared/domain/chain-families';
import { replacementBid } from '../../shared/domain/fee-bids';
import type { ChainSender, NonceStore } from '../../shared/ports/funds-out';
import { useTestGateway } from '../support/gateway';

const MNEMONIC = Mnemonic.fromEntropy(randomBytes(16)).phrase;
const ETH = 10n ** 18n;
const USDT = 10n ** 6n;
const TRX = 1_000_000n;
/** The simulator starts at the wall clock, so its blocks are near this. */
const NOW = Date.now();
/** Past anvil's funded accounts of its own mnemonic (not ours, but keep indexes unremarkable). */
const DEPOSIT_INDEX = 7;

let devnet: Devnet;
let sim: TronGridSimulator;
let evm: ChainSender;
let tron: ChainSender;
let nonces: NonceStore;

const setBalance = (address: string, wei: bigint) => rpc(devnet.rpcUrl, 'anvil_setBalance', [address, `0x${wei.toString(16)}`]);
const ethBalance = async (address: string) => BigInt(await rpc<string>(devnet.rpcUrl, 'eth_getBalance', [address, 'latest']));
const freshTron = () => tronAddressFromEvm(Wallet.createRandom().address);

beforeAll(async () => {
  [devnet, sim] = await Promise.all([startDevnet({ blockTimeSeconds: null }), startTronGridSimulator({ blockIntervalMs: null, resources: MAINNET_RESOURCES, log: () => {} })]);
  sim.mine(3);
  const chains = devnetChainSettings(
    { rpcUrl: devnet.rpcUrl, tokens: { USDT_ERC20: devnet.tokens.USDT_ERC20 } },
    { apiUrl: sim.url, tokens: { USDT_TRC20: SIMULATED_TOKENS.USDT.address } },
  );
  await useTestGateway({ CHAINS_JSON: JSON.stringify(chains), MNEMONIC });
  const deps = await fundsOutDeps();
  evm = deps.senders('ethereum');
  tron = deps.senders('tron');
  nonces = deps.nonces;
});

afterAll(async () => {
  resetRuntime();
  await Promise.all([devnet?.stop(), sim?.close()]);
});

describe('keys from the mnemonic', () => {
  it('derives deposit keys whose addresses are the watch-only ones, and a hot wallet apart from them', () => {
    const evmWatch = deriveEvmAddress(accountXpub(MNEMONIC, 'evm'));
    const tronWatch = deriveTronAddress(accountXpub(MNEMONIC, 'tron'));
    for (const index of [0, 1, DEPOSIT_INDEX, 123_456]) {
      expect(evm.depositAddress(index)).toBe(evmWatch(index));
      expect(tron.depositAddress(index)).toBe(tronWatch(index));
    }
    expect(evm.hotAddress()).toBe(HDNodeWallet.fromPhrase(MNEMONIC, undefined, CHAIN_FAMILIES.evm.hotWalletPath).address);
    expect(tron.hotAddress()).toBe(tronAddressFromEvm(HDNodeWallet.fromPhrase(MNEMONIC, undefined, CHAIN_FAMILIES.tron.hotWalletPath).address));
    expect([0, 1, 2, 3].map((i) => evm.depositAddress(i))).not.toContain(evm.hotAddress());
  });

  it('refuses a phrase that is not BIP39 without echoing any of it', () => {
    const typo = MNEMONIC.replace(/\w+$/, 'zzzzzz');
    expect(() => validMnemonic(typo, 'MNEMONIC')).toThrow(MnemonicError);
    try {
      validMnemonic(typo, 'MNEMONIC');
    } catch (e) {
      for (const word of typo.split(' ')) expect((e as Error).message).not.toContain(` ${word} `);
      expect((e as Error).message).not.toContain('zzzzzz');
    }
    expect(() => validMnemonic('one two three', 'MNEMONIC_SECRET_ARN')).toThrow(/has 3 words/);
  });
});

describe('EVM sender on anvil', () => {
  it('sends a token from a deposit index and from the hot wallet; the receipt cost is what the balance lost and the quote covers it', async () => {
    const deposit = evm.depositAddress(DEPOSIT_INDEX);
    const hot = evm.hotAddress();
    await devnetPay(devnet.rpcUrl, devnet.payerPrivateKey, { token: devnet.tokens.USDT_ERC20, to: deposit, amount: 50n * USDT });
    await devnetPay(devnet.rpcUrl, devnet.payerPrivateKey, { token: devnet.tokens.USDT_ERC20, to: hot, amount: 80n * USDT });
    await Promise.all([setBalance(deposit, ETH / 100n), setBalance(hot, ETH)]);
    const recipient = Wallet.createRandom().address;
    for (const [from, address, amount] of [[{ kind: 'deposit', index: DEPOSIT_INDEX }, deposit, 50n * USDT], [{ kind: 'hot' }, hot, 30n * USDT]] as const) {
      const quote = await evm.quoteFee('USDT_ERC20');
      const nativeBefore = await evm.balanceOf(address, 'ETH');
      const nonce = (await evm.minedNonce(address)) ?? 0;
      const tx = await evm.sign({ from, code: 'USDT_ERC20', to: recipient, amount, nonce, fee: quote.bid, now: NOW });
      expect(tx).toMatchObject({ nonce, maxFeePerGas: quote.bid.maxFeePerGas, expiresAt: null, signedAt: NOW });
      expect(await evm.broadcast(tx)).toEqual({ kind: 'accepted' });
      const receipt = await evm.receipt(tx.hash);
      expect(receipt?.status).toBe('success');
      const spent = nativeBefore - (await evm.balanceOf(address, 'ETH'));
      expect(receipt?.nativeCost).toBe(spent);
      expect(quote.maxNativeCost).toBeGreaterThanOrEqual(spent);
    }
    expect(await evm.balanceOf(recipient, 'USDT_ERC20')).toBe(80n * USDT);
    expect(await evm.balanceOf(hot, 'USDT_ERC20')).toBe(50n * USDT);
  });

  it('accepts the same bytes twice and the chain runs them once', async () => {
    const hot = evm.hotAddress();
    const recipient = Wallet.createRandom().address;
    const nonce = (await evm.minedNonce(hot)) ?? 0;
    const tx = await evm.sign({ from: { kind: 'hot' }, code: 'ETH', to: recipient, amount: 1234n, nonce, fee: (await evm.quoteFee('ETH')).bid, now: NOW });
    expect(await evm.broadcast(tx)).toEqual({ kind: 'accepted' });
    expect(await evm.broadcast(tx)).toEqual({ kind: 'accepted' });
    expect(await ethBalance(recipient)).toBe(1234n);
    expect(await evm.minedNonce(hot)).toBe(nonce + 1);
  });

  it('replaces a pending transfer by fee at the same nonce: only the replacement lands, and the replaced bytes are refused for good', async () => {
    const hot = evm.hotAddress();
    const recipient = Wallet.createRandom().address;
    await rpc(devnet.rpcUrl, 'evm_setAutomine', [false]);
    try {
      const nonce = (await evm.minedNonce(hot)) ?? 0;
      const quote = await evm.quoteFee('ETH');
      const first = await evm.sign({ from: { kind: 'hot' }, code: 'ETH', to: recipient, amount: 5n, nonce, fee: quote.bid, now: NOW });
      expect(await evm.broadcast(first)).toEqual({ kind: 'accepted' });
      const bumped = replacementBid({ ...quote.bid, maxFeePerGas: first.maxFeePerGas, maxPriorityFeePerGas: first.maxPriorityFeePerGas }, quote.bid);
      const second = await evm.sign({ from: { kind: 'hot' }, code: 'ETH', to: recipient, amount: 5n, nonce, fee: bumped, now: NOW + 1 });
      expect(second.hash).not.toBe(first.hash);
      expect(await evm.broadcast(second)).toEqual({ kind: 'accepted' });
      await rpc(devnet.rpcUrl, 'evm_mine', []);
      expect(await evm.receipt(first.hash)).toBeNull();
      expect((await evm.receipt(second.hash))?.status).toBe('success');
      expect(await ethBalance(recipient)).toBe(5n);
      expect(await evm.broadcast(first)).toMatchObject({ kind: 'rejected', permanent: true });
    } finally {
      await rpc(devnet.rpcUrl, 'evm_setAutomine', [true]);
    }
  });

  it('refuses a transfer the wallet cannot pay gas for as not permanent (it may be funded later)', async () => {
    const empty = evm.depositAddress(999);
    await devnetPay(devnet.rpcUrl, devnet.payerPrivateKey, { token: devnet.tokens.USDT_ERC20, to: empty, amount: USDT });
    const tx = await evm.sign({ from: { kind: 'deposit', index: 999 }, code: 'USDT_ERC20', to: Wallet.createRandom().address, amount: USDT, nonce: 0, fee: (await evm.quoteFee('USDT_ERC20')).bid, now: NOW });
    expect(await evm.broadcast(tx)).toMatchObject({ kind: 'rejected', permanent: false });
  });
});

describe('nonce store on DynamoDB Local', () => {
  it('hands 50 concurrent takes 50 distinct consecutive nonces', async () => {
    const address = Wallet.createRandom().address;
    const taken = await Promise.all(Array.from({ length: 50 }, (_, i) => nonces.take('ethereum', address, 3, `W${i}`)));
    expect([...taken].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => 3 + i));
  });

  it('never hands out below the mined nonce, nor one given before', async () => {
    const address = Wallet.createRandom().address;
    expect(await nonces.take('ethereum', address, 0, 'a')).toBe(0);
    expect(await nonces.take('ethereum', address, 0, 'b')).toBe(1);
    expect(await nonces.take('ethereum', address, 10, 'c')).toBe(10);
    expect(await nonces.take('ethereum', address, 4, 'd')).toBe(11);
    // A step retried after a crash asks again for the same owner: the same nonce, no gap.
    expect(await nonces.take('ethereum', address, 12, 'c')).toBe(10);
  });
});

describe('Tron sender on the TronGrid simulator (burn mode)', () => {
  const settle = async (sender: ChainSender, hash: string) => {
    sim.mine(1);
    const receipt = await sender.receipt(hash);
    if (!receipt) throw new Error(`${hash} is in no block`);
    return receipt;
  };

  it('sends TRX from the hot wallet and a deposit address, burning TRX for the account creation and the bandwidth', async () => {
    const hot = tron.hotAddress();
    const deposit = tron.depositAddress(DEPOSIT_INDEX);
    sim.fund(hot, 1_000n * TRX);
    sim.fund(deposit, 20n * TRX);
    const recipient = freshTron();
    const costs: bigint[] = [];
    // A new recipient, then the free bandwidth (600 bytes a day), then burned bandwidth.
    for (const [from, address] of [[{ kind: 'hot' }, hot], [{ kind: 'deposit', index: DEPOSIT_INDEX }, deposit], [{ kind: 'hot' }, hot], [{ kind: 'hot' }, hot], [{ kind: 'hot' }, hot]] as const) {
      const quote = await tron.quoteFee('TRX');
      const before = await tron.balanceOf(address, 'TRX');
      const tx = await tron.sign({ from, code: 'TRX', to: recipient, amount: 2n * TRX, nonce: null, fee: quote.bid, now: NOW });
      expect(tx.nonce).toBeNull();
      expect(tx.expiresAt).toBeGreaterThan(NOW);
      expect(await tron.broadcast(tx)).toEqual({ kind: 'accepted' });
      const receipt = await settle(tron, tx.hash);
      expect(receipt.status).toBe('success');
      const cost = before - 2n * TRX - (await tron.balanceOf(address, 'TRX'));
      expect(receipt.nativeCost).toBe(cost);
      expect(quote.maxNativeCost).toBeGreaterThanOrEqual(cost);
      costs.push(cost);
    }
    expect(costs[0]).toBe(MAINNET_RESOURCES.createAccountFeeSun);
    expect(costs.at(-1)).toBeGreaterThan(0n);
    expect(await tron.balanceOf(recipient, 'TRX')).toBe(10n * TRX);
  });

  it('sends a TRC-20 from a deposit address and from the hot wallet, within the quoted fee limit', async () => {
    const hot = tron.hotAddress();
    const deposit = tron.depositAddress(DEPOSIT_INDEX + 1);
    sim.fund(hot, 100n * TRX);
    sim.fund(hot, 40n * USDT, 'USDT');
    sim.fund(deposit, 40n * TRX);
    sim.fund(deposit, 25n * USDT, 'USDT');
    const recipient = freshTron();
    for (const [from, address] of [[{ kind: 'deposit', index: DEPOSIT_INDEX + 1 }, deposit], [{ kind: 'hot' }, hot]] as const) {
      const quote = await tron.quoteFee('USDT_TRC20');
      expect(quote.bid.feeLimit).toBeGreaterThan(0n);
      const before = await tron.balanceOf(address, 'TRX');
      const tx = await tron.sign({ from, code: 'USDT_TRC20', to: recipient, amount: 10n * USDT, nonce: null, fee: quote.bid, now: NOW });
      expect(await tron.broadcast(tx)).toEqual({ kind: 'accepted' });
      const receipt = await settle(tron, tx.hash);
      expect(receipt.status).toBe('success');
      const burned = before - (await tron.balanceOf(address, 'TRX'));
      expect(burned).toBeGreaterThan(0n);
      expect(receipt.nativeCost).toBe(burned);
      expect(quote.maxNativeCost).toBeGreaterThanOrEqual(burned);
    }
    expect(await tron.balanceOf(recipient, 'USDT_TRC20')).toBe(20n * USDT);
    expect(await tron.balanceOf(deposit, 'USDT_TRC20')).toBe(15n * USDT);
  });

  it('reads a TRC-20 that runs out of energy as reverted, its burned fee still counted', async () => {
    const hot = tron.hotAddress();
    sim.fund(hot, 10n * USDT, 'USDT');
    const tx = await tron.sign({ from: { kind: 'hot' }, code: 'USDT_TRC20', to: freshTron(), amount: USDT, nonce: null, fee: { maxFeePerGas: null, maxPriorityFeePerGas: null, feeLimit: 1_000n }, now: NOW });
    const before = await tron.balanceOf(hot, 'TRX');
    expect(await tron.broadcast(tx)).toEqual({ kind: 'accepted' });
    const receipt = await settle(tron, tx.hash);
    expect(receipt.status).toBe('reverted');
    expect(receipt.nativeCost).toBe(before - (await tron.balanceOf(hot, 'TRX')));
  });

  it('accepts the same bytes twice and the chain runs them once', async () => {
    sim.fund(tron.hotAddress(), 10n * TRX);
    const recipient = freshTron();
    const tx = await tron.sign({ from: { kind: 'hot' }, code: 'TRX', to: recipient, amount: TRX, nonce: null, fee: (await tron.quoteFee('TRX')).bid, now: NOW });
    expect(await tron.broadcast(tx)).toEqual({ kind: 'accepted' });
    expect(await tron.broadcast(tx)).toEqual({ kind: 'accepted' });
    await settle(tron, tx.hash);
    expect(await tron.broadcast(tx)).toEqual({ kind: 'accepted' });
    sim.mine(1);
    expect(await tron.balanceOf(recipient, 'TRX')).toBe(TRX);
  });

  it('gives two equal transfers signed at once two transactions', async () => {
    const fee = (await tron.quoteFee('TRX')).bid;
    const recipient = freshTron();
    const a = await tron.sign({ from: { kind: 'hot' }, code: 'TRX', to: recipient, amount: TRX, nonce: null, fee, now: NOW });
    const b = await tron.sign({ from: { kind: 'hot' }, code: 'TRX', to: recipient, amount: TRX, nonce: null, fee, now: NOW });
    expect(a.hash).not.toBe(b.hash);
  });

  it('refuses an expired transaction for good: it can never land', async () => {
    sim.fund(tron.hotAddress(), 10n * TRX);
    const recipient = freshTron();
    const tx = await tron.sign({ from: { kind: 'hot' }, code: 'TRX', to: recipient, amount: TRX, nonce: null, fee: (await tron.quoteFee('TRX')).bid, now: NOW });
    sim.mine(101); // 5 minutes of 3-second blocks
    const outcome = await tron.broadcast(tx);
    expect(outcome).toMatchObject({ kind: 'rejected', permanent: true });
    expect(outcome.kind === 'rejected' && outcome.reason).toMatch(/TRANSACTION_EXPIRATION_ERROR/);
    expect(await tron.receipt(tx.hash)).toBeNull();
  });
});
