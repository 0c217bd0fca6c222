/**
 * DisperseSender for EVM chains: the hot wallet's calls to the TollgateDisperse contract
 * (lib/contracts/TollgateDisperse.sol), signed like EvmChainSender's transfers and sent over the
 * same JSON-RPC client. One `disperseToken` pays up to DISPERSE_RECIPIENTS_MAX recipients; the
 * contract reports each one with a Paid or Refused event, read back from the receipt.
 */
import { getAddress, Interface } from 'ethers';
import * as z from 'zod';
import type { ChainDeployment } from '../../../domain/chains';
import { DISPERSE_RECIPIENTS_MAX } from '../../../domain/payout-batch';
import type { Instant } from '../../../domain/time';
import type { SignedTransfer } from '../../../domain/withdrawal';
import type { FeeBid, FeeQuote } from '../../../ports/funds-out';
import type { DisperseResult, DisperseSender } from '../../../ports/payouts';
import type { SigningKeys } from '../signing-keys';
import { addressWord, checkBid, GAS_ESTIMATE_MARGIN_PERCENT, hex, quantity, receiptShape, signCall, word } from './evm-tx';
import { type JsonRpcClient, RpcError } from './json-rpc';

const DISPERSE_ABI = new Interface([
  'function disperseToken(address token, address[] to, uint256[] amounts)',
  'event Paid(uint256 indexed index, address indexed to, uint256 amount)',
  'event Refused(uint256 indexed index, address indexed to, uint256 amount)',
]);
const PAID_TOPIC = DISPERSE_ABI.getEvent('Paid')?.topicHash as string;
const REFUSED_TOPIC = DISPERSE_ABI.getEvent('Refused')?.topicHash as string;

/** ERC-20 `approve(address,uint256)` and `allowance(address,address)` selectors. */
const APPROVE_SELECTOR = '0x095ea7b3';
const ALLOWANCE_SELECTOR = '0xdd62ed3e';
/** The hot wallet approves the contract once per token, for everything (README "Mass payouts"). */
const MAX_ALLOWANCE = 2n ** 256n - 1n;

/**
 * Gas of one disperse call: the call itself, then per recipient a transferFrom to a fresh holder
 * (its balance slot written from zero: 20k) and the contract's event, measured about 30k on the
 * devnet's USDT-like token (bench/disperse.ts). The floor is what the limit never goes below: an
 * estimate made while some transfers would be refused (the hot wallet short) is cheaper than the
 * same call once they are paid. The cap refuses a token whose transfers burn far more.
 */
const DISPERSE_BASE_GAS = 60_000n;
const DISPERSE_RECIPIENT_GAS_FLOOR = 40_000n;
const DISPERSE_RECIPIENT_GAS_MAX = 80_000n;
/** approve() costs about 46k (a fresh allowance slot); USDT's is a little more. */
const APPROVE_GAS_FLOOR = 60_000n;
const APPROVE_GAS_MAX = 150_000n;

const floorOf = (recipients: number) => DISPERSE_BASE_GAS + BigInt(recipients) * DISPERSE_RECIPIENT_GAS_FLOOR;
const capOf = (recipients: number) => DISPERSE_BASE_GAS * 2n + BigInt(recipients) * DISPERSE_RECIPIENT_GAS_MAX;

const logShape = z.object({ address: hex, topics: z.array(hex), data: hex });
const receiptWithLogs = receiptShape.extend({ logs: z.array(logShape) });

/** What the disperse sender borrows from its chain's EvmChainSender: the fee bid (which checks the chain id first) and the token contracts. */
export type DisperseHost = {
  bid(): Promise<{ maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }>;
  contractOf(code: string): string | null;
};

export class EvmDisperseSender implements DisperseSender {
  readonly contract: string;

  constructor(
    private readonly deployment: ChainDeployment,
    contract: string,
    private readonly rpc: JsonRpcClient,
    private readonly keys: SigningKeys,
    private readonly host: DisperseHost,
  ) {
    this.contract = getAddress(contract);
  }

  /** The token of `code`; a native coin has nothing to disperse through the contract. */
  private tokenOf(code: string): string {
    const token = this.host.contractOf(code);
    if (token === null) throw new Error(`${this.deployment.chain}: ${code} is the native coin; the disperse contract pays tokens only`);
    return token;
  }

  async allowance(code: string): Promise<bigint> {
    const token = this.tokenOf(code);
    await this.host.bid(); // checks the endpoint serves this chain
    const data = `${ALLOWANCE_SELECTOR}${addressWord(this.keys.hot().evmAddress)}${addressWord(this.contract)}`;
    const answer = await this.rpc.call('eth_call', [{ to: token, data }, 'latest'], hex);
    if (answer.length !== 66) throw new Error(`${this.deployment.chain}: ${code} allowance answered ${answer.length === 2 ? 'nothing' : 'a malformed word'} (is ${token} a token?)`);
    return BigInt(answer);
  }

  async quoteDisperse(_code: string, recipients: number): Promise<FeeQuote> {
    const bid = await this.host.bid();
    return { bid: { ...bid, feeLimit: null }, maxNativeCost: bid.maxFeePerGas * capOf(recipients) };
  }

  /** The estimate plus a margin, at least `floor`; above `cap` the call is refused rather than paid for blindly. Without an estimate (the node refuses one), the floor. */
  private async gasLimit(call: { from: string; to: string; data: string }, floor: bigint, cap: bigint): Promise<bigint> {
    let limit = floor;
    try {
      const estimate = await this.rpc.call('eth_estimateGas', [{ from: call.from, to: call.to, value: '0x0', data: call.data }, 'latest'], quantity);
      const withMargin = (estimate * GAS_ESTIMATE_MARGIN_PERCENT + 99n) / 100n;
      if (withMargin > limit) limit = withMargin;
    } catch (e) {
      // A revert in the estimate is deterministic: the call would revert on chain too.
      if (e instanceof RpcError && /revert/i.test(e.message)) throw new Error(`${this.deployment.chain}: the disperse contract would revert this call: ${e.message}`);
      if (!(e instanceof RpcError)) throw e;
    }
    if (limit > cap) throw new Error(`${this.deployment.chain}: this call needs ${limit} gas, above the ${cap} it is quoted for (the token's transfers cost more than a payout should)`);
    return limit;
  }

  private sign(call: { to: string; data: string }, gasLimit: bigint, nonce: number, fee: FeeBid, now: Instant): SignedTransfer {
    checkBid(this.deployment.chain, nonce, fee);
    return signCall(this.deployment, this.keys.hot().privateKey, { ...call, value: 0n }, { gasLimit, nonce, fee, now });
  }

  async signApproval(req: { code: string; nonce: number; fee: FeeBid; now: Instant }): Promise<SignedTransfer> {
    const token = this.tokenOf(req.code);
    await this.host.bid();
    const call = { from: this.keys.hot().evmAddress, to: token, data: `${APPROVE_SELECTOR}${addressWord(this.contract)}${word(MAX_ALLOWANCE)}` };
    return this.sign(call, await this.gasLimit(call, APPROVE_GAS_FLOOR, APPROVE_GAS_MAX), req.nonce, req.fee, req.now);
  }

  async signDisperse(req: { code: string; recipients: readonly { to: string; amount: bigint }[]; nonce: number; fee: FeeBid; now: Instant }): Promise<SignedTransfer> {
    const n = req.recipients.length;
    if (n < 1 || n > DISPERSE_RECIPIENTS_MAX) throw new Error(`${this.deployment.chain}: a disperse call pays 1 to ${DISPERSE_RECIPIENTS_MAX} recipients, got ${n}`);
    const token = this.tokenOf(req.code);
    for (const r of req.recipients) if (r.amount <= 0n) throw new Error(`${this.deployment.chain}: every amount must be positive, got ${r.amount} for ${r.to}`);
    await this.host.bid();
    const data = DISPERSE_ABI.encodeFunctionData('disperseToken', [
      token,
      req.recipients.map((r) => getAddress(r.to)), // refuses a bad EIP-55 checksum
      req.recipients.map((r) => r.amount),
    ]);
    const call = { from: this.keys.hot().evmAddress, to: this.contract, data };
    return this.sign(call, await this.gasLimit(call, floorOf(n), capOf(n)), req.nonce, req.fee, req.now);
  }

  async disperseResult(hash: string, recipients: number): Promise<DisperseResult | null> {
    await this.host.bid();
    const r = await this.rpc.call('eth_getTransactionReceipt', [hash], receiptWithLogs.nullable());
    if (!r) return null;
    if (r.transactionHash.toLowerCase() !== hash.toLowerCase()) throw new Error(`${this.deployment.chain}: asked for the receipt of ${hash}, got ${r.transactionHash}`);
    const receipt = { status: BigInt(r.status) === 1n ? ('success' as const) : ('reverted' as const), blockNumber: Number(r.blockNumber), nativeCost: r.gasUsed * r.effectiveGasPrice + (r.l1Fee ?? 0n) };
    const paid = new Array<boolean>(recipients).fill(false);
    if (receipt.status === 'reverted') return { receipt, paid };
    // Only the contract's own events count (a token's logs carry the token's address), one per recipient.
    const seen = new Array<boolean>(recipients).fill(false);
    for (const log of r.logs) {
      if (log.address.toLowerCase() !== this.contract.toLowerCase()) continue;
      const topic = log.topics[0]?.toLowerCase();
      if (topic !== PAID_TOPIC && topic !== REFUSED_TOPIC) continue;
      const index = Number(BigInt(log.topics[1] ?? '0x'));
      if (!Number.isInteger(index) || index < 0 || index >= recipients || seen[index]) throw new Error(`${this.deployment.chain}: ${hash} reports recipient ${index} twice or out of the ${recipients} sent`);
      seen[index] = true;
      paid[index] = topic === PAID_TOPIC;
    }
    const missing = seen.indexOf(false);
    if (missing >= 0) throw new Error(`${this.deployment.chain}: ${hash} reports nothing for recipient ${missing} of ${recipients}: not a disperse of this leg`);
    return { receipt, paid };
  }
}
