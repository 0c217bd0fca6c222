/**
 * ChainSender for EVM chains: type-2 (EIP-1559) transactions signed with ethers, sent and read
 * over the same JSON-RPC client and endpoints as the reader (fallback, timeouts, retries).
 * Built only in the worker functions that may read the mnemonic (functions/kit/chain-senders.ts).
 */
import { getAddress } from 'ethers';
import * as z from 'zod';
import type { DisperseSender } from '../../../ports/payouts';
import { EvmDisperseSender } from './evm-disperse';
import { addressWord, checkBid, feeHistoryShape, GAS_ESTIMATE_MARGIN_PERCENT, hex, quantity, receiptShape, signCall, toHex, word } from './evm-tx';
import type { ChainDeployment } from '../../../domain/chains';
import { contractOf } from '../../../domain/chains';
import { CHAIN_FAMILIES } from '../../../domain/chain-families';
import type { SignedTransfer } from '../../../domain/withdrawal';
import type { BroadcastOutcome, ChainSender, FeeBid, FeeQuote, KeyRef, TxReceipt } from '../../../ports/funds-out';
import type { Instant } from '../../../domain/time';
import type { SigningKeys } from '../signing-keys';
import { type JsonRpcClient, RpcError } from './json-rpc';

/** ERC-20 `transfer(address,uint256)` and `balanceOf(address)` selectors. */
const TRANSFER_SELECTOR = '0xa9059cbb';
const BALANCE_OF_SELECTOR = '0x70a08231';
/** A plain coin transfer to an account without code costs exactly this. */
const PLAIN_TRANSFER_GAS = 21_000n;
/**
 * The most gas a transfer of each kind may be given: twice the family's sweep estimate. A quote
 * bids for this much, so `maxNativeCost` bounds whatever `sign` builds; a recipient whose code
 * wants more is refused rather than paid for blindly.
 */
const GAS_LIMIT_MULTIPLIER = 2n;
/**
 * maxFeePerGas = 2 × next base fee + tip: the base fee can rise 12.5% a block, so the bid stays
 * valid through about six full blocks before it needs a bump.
 */
const BASE_FEE_HEADROOM = 2n;

/** What a node's refusal of eth_sendRawTransaction means for the withdrawal. */
const SEEN = /already known|known transaction|already imported|already exists/i;
const NONCE_USED = /nonce too low|nonce has already been used|old nonce/i;
/** Refusals that a later try may not meet: money arriving, fees moving, an earlier nonce landing, a bump. */
const TRANSIENT =
  /insufficient funds|underpriced|less than block base fee|fee cap|nonce too high|nonce gap|txpool is full|pool is full|could not replace|rate limit|try again|busy/i;

export class EvmChainSender implements ChainSender {
  readonly chain;
  /** Mass payouts through the disperse contract, where the deployment names one (CHAINS_JSON disperseContract); else one transfer per item. */
  readonly disperse: DisperseSender | null;
  private verified = false;
  private readonly gasLimitMax: { native: bigint; token: bigint };
  private readonly gasFloor: { native: bigint; token: bigint };

  constructor(
    private readonly deployment: ChainDeployment,
    private readonly rpc: JsonRpcClient,
    private readonly keys: SigningKeys,
  ) {
    this.chain = deployment.chain;
    const cost = CHAIN_FAMILIES.evm.sweepCost;
    this.gasFloor = { native: BigInt(cost.native.gas), token: BigInt(cost.token.gas) };
    this.gasLimitMax = { native: this.gasFloor.native * GAS_LIMIT_MULTIPLIER, token: this.gasFloor.token * GAS_LIMIT_MULTIPLIER };
    this.disperse = deployment.disperseContract
      ? new EvmDisperseSender(deployment, deployment.disperseContract, rpc, keys, {
          bid: () => this.bid(),
          contractOf: (code) => this.contractOf(code),
        })
      : null;
  }

  hotAddress(): string {
    return this.keys.hot().evmAddress;
  }

  depositAddress(index: number): string {
    return this.keys.deposit(index).evmAddress;
  }

  /** A URL of another network must fail loudly before anything is sent to it. */
  private async verifyChain(): Promise<void> {
    if (this.verified) return;
    const id = Number(await this.rpc.call('eth_chainId', [], quantity));
    if (id !== this.deployment.evmChainId) throw new Error(`the RPC endpoint for ${this.chain} serves chain id ${id}, expected ${this.deployment.evmChainId}; check its RPC URL`);
    this.verified = true;
  }

  /** The token contract of `code` on this chain (null: the native coin); refuses a code not served here. */
  private contractOf(code: string): string | null {
    const contract = contractOf(this.deployment, code);
    if (contract === undefined) throw new Error(`${code} is not served on ${this.chain}`);
    return contract;
  }

  async balanceOf(address: string, code: string): Promise<bigint> {
    await this.verifyChain();
    const contract = this.contractOf(code);
    const holder = getAddress(address);
    if (contract === null) return this.rpc.call('eth_getBalance', [holder, 'latest'], quantity);
    const answer = await this.rpc.call('eth_call', [{ to: contract, data: `${BALANCE_OF_SELECTOR}${addressWord(holder)}` }, 'latest'], hex);
    if (answer.length !== 66) throw new Error(`${this.chain}: ${code} balanceOf answered ${answer.length === 2 ? 'nothing' : 'a malformed word'} (is ${contract} a token?)`);
    return BigInt(answer);
  }

  async minedNonce(address: string): Promise<number> {
    await this.verifyChain();
    return Number(await this.rpc.call('eth_getTransactionCount', [getAddress(address), 'latest'], quantity));
  }

  /** Today's EIP-1559 bid, from the node: the next block's base fee and the node's suggested tip. */
  private async bid(): Promise<{ maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }> {
    await this.verifyChain();
    const [history, tip] = await Promise.all([this.rpc.call('eth_feeHistory', ['0x1', 'latest', []], feeHistoryShape), this.rpc.call('eth_maxPriorityFeePerGas', [], quantity)]);
    // The last entry is the base fee of the block after `latest`: the one the transaction aims at.
    const nextBaseFee = history.baseFeePerGas[history.baseFeePerGas.length - 1];
    return { maxFeePerGas: nextBaseFee * BASE_FEE_HEADROOM + tip, maxPriorityFeePerGas: tip };
  }

  async quoteFee(code: string): Promise<FeeQuote> {
    const kind = this.contractOf(code) === null ? 'native' : 'token';
    const bid = await this.bid();
    return { bid: { ...bid, feeLimit: null }, maxNativeCost: bid.maxFeePerGas * this.gasLimitMax[kind] };
  }

  private keyOf(from: KeyRef) {
    return from.kind === 'hot' ? this.keys.hot() : this.keys.deposit(from.index);
  }

  /** The gas a transfer is given: a plain transfer exactly 21,000, otherwise the estimate plus a margin, never below the family's floor. */
  private async gasLimit(call: { from: string; to: string; value: bigint; data: string }, kind: 'native' | 'token'): Promise<bigint> {
    const estimate = await this.rpc.call('eth_estimateGas', [{ from: call.from, to: call.to, value: toHex(call.value), data: call.data }, 'latest'], quantity);
    if (kind === 'native' && estimate === PLAIN_TRANSFER_GAS) return PLAIN_TRANSFER_GAS;
    const withMargin = (estimate * GAS_ESTIMATE_MARGIN_PERCENT + 99n) / 100n;
    const limit = withMargin > this.gasFloor[kind] ? withMargin : this.gasFloor[kind];
    if (limit > this.gasLimitMax[kind]) throw new Error(`${this.chain}: this transfer needs ${limit} gas, above the ${this.gasLimitMax[kind]} a ${kind} transfer is quoted for (the recipient runs code)`);
    return limit;
  }

  async sign(request: { from: KeyRef; code: string; to: string; amount: bigint; nonce: number | null; fee: FeeBid; now: Instant }): Promise<SignedTransfer> {
    const { fee, nonce, amount } = request;
    checkBid(this.chain, nonce, fee);
    if (nonce === null) throw new Error('unreachable: checkBid refuses a null nonce');
    await this.verifyChain();
    const key = this.keyOf(request.from);
    const recipient = getAddress(request.to); // refuses a bad EIP-55 checksum
    const contract = this.contractOf(request.code);
    // Zero is allowed for one thing only: a native transfer to oneself, which uses up a nonce (cancelling what was signed at it).
    const cancel = amount === 0n && contract === null && recipient === key.evmAddress;
    if (amount <= 0n && !cancel) throw new Error(`${this.chain}: the amount must be positive, got ${amount}`);
    const call =
      contract === null
        ? { from: key.evmAddress, to: recipient, value: amount, data: '0x' }
        : { from: key.evmAddress, to: contract, value: 0n, data: `${TRANSFER_SELECTOR}${addressWord(recipient)}${word(amount)}` };
    const gasLimit = await this.gasLimit(call, contract === null ? 'native' : 'token');
    return signCall(this.deployment, key.privateKey, call, { gasLimit, nonce, fee, now: request.now });
  }

  async broadcast(tx: SignedTransfer): Promise<BroadcastOutcome> {
    await this.verifyChain();
    try {
      const hash = await this.rpc.call('eth_sendRawTransaction', [tx.raw], hex);
      if (hash.toLowerCase() !== tx.hash.toLowerCase()) throw new Error(`${this.chain}: the node took the transaction as ${hash}, not ${tx.hash}`);
      return { kind: 'accepted' };
    } catch (e) {
      if (!(e instanceof RpcError)) throw e; // no answer: the endpoint is down, a retry decides
      return this.refusal(tx, e.message);
    }
  }

  /**
   * A refusal read for what it means: the node already has these bytes (a retry after a crash),
   * or its nonce is used by this very transaction (it landed) => accepted; by another one =>
   * these bytes can never land, permanently refused. Money or fees that may change are not permanent.
   */
  private async refusal(tx: SignedTransfer, message: string): Promise<BroadcastOutcome> {
    if (SEEN.test(message)) return { kind: 'accepted' };
    if (NONCE_USED.test(message)) {
      const known = await this.rpc.call('eth_getTransactionByHash', [tx.hash], z.object({ hash: hex }).nullable());
      return known ? { kind: 'accepted' } : { kind: 'rejected', reason: message, permanent: true };
    }
    return { kind: 'rejected', reason: message, permanent: !TRANSIENT.test(message) };
  }

  async receipt(hash: string): Promise<TxReceipt | null> {
    await this.verifyChain();
    const r = await this.rpc.call('eth_getTransactionReceipt', [hash], receiptShape.nullable());
    if (!r) return null;
    if (r.transactionHash.toLowerCase() !== hash.toLowerCase()) throw new Error(`${this.chain}: asked for the receipt of ${hash}, got ${r.transactionHash}`);
    return { status: BigInt(r.status) === 1n ? 'success' : 'reverted', blockNumber: Number(r.blockNumber), nativeCost: r.gasUsed * r.effectiveGasPrice + (r.l1Fee ?? 0n) };
  }

  async head(): Promise<number> {
    await this.verifyChain();
    return Number(await this.rpc.call('eth_blockNumber', [], quantity));
  }
}
