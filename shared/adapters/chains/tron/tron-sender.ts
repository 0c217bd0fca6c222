/**
 * ChainSender for Tron: transactions built and signed offline with tronweb (a reference block
 * read through the TronGrid client, so tronweb itself never reaches the network), sent and read
 * over the same TronGrid client as the reader (URL and key rotation, retries). Fees are burned
 * in TRX (burn mode): bandwidth for every transaction, energy for TRC-20 calls up to `feeLimit`.
 * tronweb is 1.2 MB: only the worker bundles import this file (functions/kit/chain-senders-tron.ts).
 */
import { randomInt } from 'node:crypto';
import { TronWeb } from 'tronweb';
import * as z from 'zod';
import { CHAIN_FAMILIES } from '../../../domain/chain-families';
import { type ChainDeployment, contractOf } from '../../../domain/chains';
import type { DisperseSender } from '../../../ports/payouts';
import type { Instant } from '../../../domain/time';
import type { SignedTransfer } from '../../../domain/withdrawal';
import type { BroadcastOutcome, ChainSender, FeeBid, FeeQuote, KeyRef, TxReceipt } from '../../../ports/funds-out';
import type { SigningKeys } from '../signing-keys';
import { readTronPrices } from './tron-prices';
import { isTronAddress, tronAddressFromEvm, tronAddressToHex } from './address';
import { type TronGridClient, TronGridError } from './trongrid-client';

/**
 * How long a signed transaction stays valid, from its reference block's time: long enough for a
 * workflow's retries (2+4+8+16 s) and a few slow blocks, short enough that a transaction lost on
 * its way is provably dead soon and the withdrawal can be signed again. java-tron allows 24 h.
 */
export const TRON_EXPIRATION_MS = 5 * 60_000;
/** tronweb reads amounts as JS numbers: beyond this, sun would be rounded. */
const SUN_EXACT_MAX = BigInt(Number.MAX_SAFE_INTEGER);
/**
 * Energy a TRC-20 transfer may burn at most: three times the family's estimate, since USDT's
 * dynamic energy model multiplies its cost when the contract is busy. The fee limit caps the burn,
 * so a dearer call fails OUT_OF_ENERGY instead of draining the hot wallet.
 */
const TOKEN_ENERGY_MULTIPLIER = 3n;
/** Chain parameters are read once per this long (they change by committee proposals, rarely). */
const PARAMETERS_MAX_AGE_MS = 10 * 60_000;

const hash64 = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/)
  .transform((s) => s.toLowerCase());
const nothing = z.strictObject({}).transform(() => null);
const maybe = <T extends z.ZodType>(shape: T) => z.union([shape, nothing]);
const count = z.number().int().nonnegative().default(0);
const headShape = z.object({ blockID: hash64, block_header: z.object({ raw_data: z.object({ number: count, timestamp: count }) }) });
const broadcastShape = z.object({ result: z.boolean().optional(), code: z.string().optional(), txid: z.string().optional(), message: z.string().optional() });
const infoShape = z.object({
  id: hash64,
  blockNumber: count,
  /** Sun burned in all (bandwidth, energy, account creation); absent when nothing was burned. */
  fee: z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).default(0),
  result: z.string().optional(),
  receipt: z.object({ result: z.string().optional() }).default({}),
});
const accountShape = maybe(z.object({ balance: z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).default(0) }).loose());
const constantShape = z.object({ result: z.object({ result: z.boolean().optional() }).loose().optional(), constant_result: z.array(z.string()).default([]) });
const signedShape = z.object({ txID: hash64, raw_data: z.object({ expiration: z.number() }).loose(), raw_data_hex: z.string(), signature: z.array(z.string()).min(1) }).loose();

const textOfHex = (hex: string | undefined) => (hex && /^[0-9a-fA-F]*$/.test(hex) ? Buffer.from(hex, 'hex').toString('utf8') : (hex ?? ''));

/**
 * java-tron's broadcast refusals (Protocol.Return.response_code), read for whether the same bytes
 * could still land later. A balance or resource shortage may end (the wallet gets funded); a bad
 * signature, a foreign or expired reference, a malformed contract never will.
 */
const TRANSIENT_CODES = new Set(['BANDWITH_ERROR', 'SERVER_BUSY', 'NOT_ENOUGH_EFFECTIVE_CONNECTION', 'NO_CONNECTION', 'BLOCK_UNSOLIDIFIED', 'OTHER_ERROR']);
const TRANSIENT_MESSAGE = /balance is not sufficient|insufficient|not enough|account resource/i;

type Prices = { energy: bigint; bandwidth: bigint; creation: bigint; at: number };

export class TronChainSender implements ChainSender {
  readonly chain;
  /** Mass payouts through the disperse contract: none configured yet (one transfer per item). */
  readonly disperse: DisperseSender | null = null;
  /** Offline: tronweb is handed every reference it needs; a stray network call fails on this host. */
  private readonly tronWeb = new TronWeb({ fullHost: 'http://tronweb-offline.invalid' });
  private prices: Prices | null = null;
  private verified: boolean;

  constructor(
    private readonly deployment: ChainDeployment,
    private readonly client: TronGridClient,
    private readonly keys: SigningKeys,
    private readonly expirationMs = TRON_EXPIRATION_MS,
  ) {
    this.chain = deployment.chain;
    // The simulator has its own genesis; a real network is checked once (as the reader does).
    this.verified = deployment.devnet;
  }

  /**
   * A Nile URL in a mainnet deployment would take the signed bytes, land them on the testnet and
   * confirm a withdrawal mainnet never saw: the genesis block (its last 4 bytes are the chain id)
   * is checked before anything is signed, sent or read.
   */
  private async verifyChain(): Promise<void> {
    if (this.verified) return;
    const genesis = await this.client.post('/wallet/getblockbynum', { num: 0 }, maybe(z.object({ blockID: hash64 })));
    const id = genesis ? Number.parseInt(genesis.blockID.slice(-8), 16) : null;
    if (id !== this.deployment.evmChainId) throw new Error(`the TronGrid endpoint for ${this.chain} serves chain id ${id}, expected ${this.deployment.evmChainId}; check its URL`);
    this.verified = true;
  }

  hotAddress(): string {
    return tronAddressFromEvm(this.keys.hot().evmAddress);
  }

  depositAddress(index: number): string {
    return tronAddressFromEvm(this.keys.deposit(index).evmAddress);
  }

  private contractOf(code: string): string | null {
    const contract = contractOf(this.deployment, code);
    if (contract === undefined) throw new Error(`${code} is not served on ${this.chain}`);
    return contract;
  }

  async balanceOf(address: string, code: string): Promise<bigint> {
    if (!isTronAddress(address)) throw new Error(`${this.chain}: not a Tron address: ${JSON.stringify(address)}`);
    const contract = this.contractOf(code);
    await this.verifyChain();
    if (contract === null) {
      const account = await this.client.post('/wallet/getaccount', { address, visible: true }, accountShape);
      return account ? BigInt(account.balance) : 0n; // `{}`: the account does not exist yet
    }
    const answer = await this.client.post(
      '/wallet/triggerconstantcontract',
      { owner_address: address, contract_address: contract, function_selector: 'balanceOf(address)', parameter: tronAddressToHex(address).slice(2).padStart(64, '0'), visible: true },
      constantShape,
    );
    const word = answer.constant_result[0];
    if (answer.result?.result !== true || !word || !/^[0-9a-fA-F]{64}$/.test(word)) throw new Error(`${this.chain}: ${code} balanceOf answered no word (is ${contract} a token?)`);
    return BigInt(`0x${word}`);
  }

  /** Tron has no nonces: a transaction is unique by its reference block, expiration and timestamp. */
  async minedNonce(): Promise<null> {
    return null;
  }

  /** Energy and bandwidth prices and the account creation fee, from the node's chain parameters. */
  private async currentPrices(): Promise<Prices> {
    if (this.prices && Date.now() - this.prices.at < PARAMETERS_MAX_AGE_MS) return this.prices;
    this.prices = { ...(await readTronPrices(this.client)), at: Date.now() };
    return this.prices;
  }

  async quoteFee(code: string): Promise<FeeQuote> {
    const cost = CHAIN_FAMILIES.tron.sweepCost;
    const prices = await this.currentPrices();
    if (this.contractOf(code) === null) {
      const bandwidth = BigInt(cost.native.bandwidth) * prices.bandwidth;
      // Bandwidth, or the creation of a new recipient (which replaces it), whichever is dearer.
      return { bid: { maxFeePerGas: null, maxPriorityFeePerGas: null, feeLimit: null }, maxNativeCost: bandwidth + prices.creation };
    }
    const feeLimit = BigInt(cost.token.energy) * TOKEN_ENERGY_MULTIPLIER * prices.energy;
    // The fee limit caps energy only; bandwidth is burned besides it.
    return { bid: { maxFeePerGas: null, maxPriorityFeePerGas: null, feeLimit }, maxNativeCost: feeLimit + BigInt(cost.token.bandwidth) * prices.bandwidth };
  }

  private keyOf(from: KeyRef) {
    return from.kind === 'hot' ? this.keys.hot() : this.keys.deposit(from.index);
  }

  async sign(request: { from: KeyRef; code: string; to: string; amount: bigint; nonce: number | null; fee: FeeBid; now: Instant }): Promise<SignedTransfer> {
    const { amount, to } = request;
    if (request.nonce !== null) throw new Error(`${this.chain}: Tron transactions have no nonce, got ${request.nonce}`);
    if (amount <= 0n) throw new Error(`${this.chain}: the amount must be positive, got ${amount}`);
    if (!isTronAddress(to)) throw new Error(`${this.chain}: not a Tron address: ${JSON.stringify(to)}`);
    const key = this.keyOf(request.from);
    const owner = tronAddressFromEvm(key.evmAddress);
    if (owner === to) throw new Error(`${this.chain}: ${owner} would send to itself`);
    const contract = this.contractOf(request.code);
    await this.verifyChain();
    const head = await this.client.post('/wallet/getnowblock', {}, headShape);
    const { number, timestamp } = head.block_header.raw_data;
    const blockHeader = {
      ref_block_bytes: (number & 0xffff).toString(16).padStart(4, '0'),
      ref_block_hash: head.blockID.slice(16, 32),
      expiration: timestamp + this.expirationMs,
      // Two equal transfers (same amount, recipient and reference block) would otherwise be one
      // transaction, and the second withdrawal would "land" on the first's bytes: a random
      // sub-second offset keeps every signature's txID its own.
      timestamp: request.now + randomInt(1_000),
    };
    let unsigned: Parameters<TronWeb['trx']['sign']>[0];
    if (contract === null) {
      if (amount > SUN_EXACT_MAX) throw new Error(`${this.chain}: ${amount} sun is beyond what a transfer carries exactly`);
      unsigned = await this.tronWeb.transactionBuilder.sendTrx(to, Number(amount), owner, { blockHeader });
    } else {
      if (request.fee.feeLimit === null || request.fee.feeLimit <= 0n || request.fee.feeLimit > SUN_EXACT_MAX) throw new Error(`${this.chain}: a TRC-20 transfer needs a positive feeLimit (sun), got ${request.fee.feeLimit}`);
      const built = await this.tronWeb.transactionBuilder.triggerSmartContract(
        contract,
        'transfer(address,uint256)',
        { feeLimit: Number(request.fee.feeLimit), txLocal: true, blockHeader },
        [
          { type: 'address', value: to },
          { type: 'uint256', value: amount.toString() },
        ],
        owner,
      );
      unsigned = built.transaction;
    }
    const signed = await this.tronWeb.trx.sign(unsigned, key.privateKey.replace(/^0x/, ''));
    const checked = signedShape.parse(signed);
    return {
      hash: checked.txID,
      raw: JSON.stringify(signed),
      nonce: null,
      maxFeePerGas: null,
      maxPriorityFeePerGas: null,
      expiresAt: checked.raw_data.expiration,
      signedAt: request.now,
    };
  }

  async broadcast(tx: SignedTransfer): Promise<BroadcastOutcome> {
    let body: unknown;
    try {
      body = JSON.parse(tx.raw);
    } catch {
      return { kind: 'rejected', reason: 'the stored transaction is not JSON', permanent: true };
    }
    await this.verifyChain();
    let answer: z.infer<typeof broadcastShape>;
    try {
      answer = await this.client.post('/wallet/broadcasttransaction', body, broadcastShape);
    } catch (e) {
      if (!(e instanceof TronGridError)) throw e; // no answer: a retry decides
      return this.refusal(tx, 'OTHER_ERROR', e.nodeMessage);
    }
    if (answer.result === true) return { kind: 'accepted' };
    // The node already has these bytes: a retry after a crash, or a second send of one withdrawal.
    if (answer.code === 'DUP_TRANSACTION_ERROR') return { kind: 'accepted' };
    return this.refusal(tx, answer.code ?? 'OTHER_ERROR', textOfHex(answer.message));
  }

  /** A refusal of bytes the chain already holds (landed, then expired or forgotten by the node) is no refusal. */
  private async refusal(tx: SignedTransfer, code: string, message: string): Promise<BroadcastOutcome> {
    const landed = await this.client.post('/wallet/gettransactionbyid', { value: tx.hash }, maybe(z.object({ txID: hash64 }).loose()));
    if (landed?.txID === tx.hash) return { kind: 'accepted' };
    const permanent = !(TRANSIENT_CODES.has(code) || TRANSIENT_MESSAGE.test(message));
    return { kind: 'rejected', reason: `${code}: ${message}`, permanent };
  }

  async receipt(hash: string): Promise<TxReceipt | null> {
    const txId = hash.toLowerCase().replace(/^0x/, '');
    await this.verifyChain();
    const info = await this.client.post('/wallet/gettransactioninfobyid', { value: txId }, maybe(infoShape));
    if (!info || info.blockNumber === 0) return null;
    if (info.id !== txId) throw new Error(`${this.chain}: asked for ${txId}, got the info of ${info.id}`);
    // A TRX transfer has no receipt result; a contract call says SUCCESS, REVERT, OUT_OF_ENERGY...
    const failed = info.result === 'FAILED' || (info.receipt.result !== undefined && info.receipt.result !== 'SUCCESS');
    return { status: failed ? 'reverted' : 'success', blockNumber: info.blockNumber, nativeCost: BigInt(info.fee) };
  }

  async head(): Promise<number> {
    await this.verifyChain();
    const head = await this.client.post('/wallet/getnowblock', {}, headShape);
    return head.block_header.raw_data.number;
  }
}
