/**
 * What a simulated transaction does when it is put in a block: a TRX transfer moves sun; a TRC-20
 * `transfer(address,uint256)` call moves tokens and pays energy and bandwidth in TRX, or fails
 * (REVERT, OUT_OF_ENERGY) paying the fee and moving no tokens. The TxInfo bodies follow java-tron's
 * gettransactioninfobyid (https://developers.tron.network/reference/gettransactioninfobyid).
 * Prices are fixed figures, close to mainnet's, chosen for the simulator.
 */
import { evmToTronHex, hexOfText, type RawData, type TronHex } from './encoding';

/** Energy price (sun per energy unit) since mainnet proposal 87 (2024). */
export const ENERGY_PRICE_SUN = 210;
/** USDT transfer energy on mainnet: a recipient with no balance needs a new storage slot. */
const TRANSFER_ENERGY_NEW_HOLDER = 64_285;
const TRANSFER_ENERGY_EXISTING_HOLDER = 29_650;
/** The simulator's figure for a call that reverts early (balance check). */
const REVERT_ENERGY = 1_868;
/** Bandwidth burned at 1,000 sun per byte when no free bandwidth is used. */
export const BANDWIDTH_PRICE_SUN = 1_000;
/** Bytes a transaction takes beyond raw_data: the 65-byte signature, 64 bytes reserved for the result, framing. */
const TX_OVERHEAD_BYTES = 134;
export const TRANSFER_TOPIC = 'ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';
export const TRANSFER_SELECTOR = 'a9059cbb';
/** USDT's transfer returns bool true. */
const TRUE_WORD = `${'0'.repeat(63)}1`;
const pad64 = (hex: string) => hex.padStart(64, '0');

export type ForcedFailure = 'REVERT' | 'OUT_OF_ENERGY';
export type ContractRet = 'SUCCESS' | ForcedFailure;
export type PendingTx = { txID: string; raw: RawData; rawDataHex: string; signature: string[]; forced?: ForcedFailure };
/** A balance change: `contract` null is TRX. Undone in reverse order when a block is orphaned. */
export type Effect = { contract: TronHex | null; account: TronHex; delta: bigint };
/** A TxInfo without blockNumber and blockTimeStamp, which the block adds. */
export type TxInfoBody = Record<string, unknown>;
export type Execution = { contractRet: ContractRet; info: TxInfoBody; effects: Effect[] };
export type BalanceReader = (contract: TronHex | null, account: TronHex) => bigint;

/**
 * Mainnet's resource model in burn mode (no staking), when the simulator is asked for it:
 * - every account gets `freeBandwidthPerDay` bytes a day, recovering linearly over 24 h
 *   (java-tron's BandwidthProcessor); a transaction that does not fit burns all its bytes at
 *   the bandwidth price instead (receipt `net_fee`), none of the free allowance;
 * - a TRX transfer to an account that does not exist creates it for `createAccountFeeSun`
 *   (1 TRX getCreateNewAccountFeeInSystemContract + 0.1 TRX getCreateAccountFee), burned in
 *   place of its bandwidth.
 */
export type ResourceModel = {
  /** Takes `bytes` of the owner's free bandwidth if they fit; false: the bytes must be burned. */
  useFreeBandwidth(owner: TronHex, bytes: number): boolean;
  accountExists(account: TronHex): boolean;
  createAccountFeeSun: bigint;
};

/**
 * Runs one transaction against the state `balance` reads; null when it is no longer valid (java-tron
 * leaves such a transaction out of the block). Returns the balance changes instead of applying them.
 */
export function executeTransaction(tx: PendingTx, balance: BalanceReader, resources?: ResourceModel): Execution | null {
  const contract = tx.raw.contract[0];
  const bytes = tx.rawDataHex.length / 2 + TX_OVERHEAD_BYTES;
  if (contract.type === 'TransferContract' && resources) {
    const { owner_address: owner, to_address: to, amount } = contract.parameter.value;
    const creates = !resources.accountExists(to);
    const fee = creates ? resources.createAccountFeeSun : resources.useFreeBandwidth(owner, bytes) ? 0n : BigInt(bytes * BANDWIDTH_PRICE_SUN);
    if (balance(null, owner) < BigInt(amount) + fee) return null;
    const effects: Effect[] = [
      { contract: null, account: owner, delta: -(BigInt(amount) + fee) },
      { contract: null, account: to, delta: BigInt(amount) },
    ];
    const receipt = fee === 0n ? { net_usage: bytes } : { net_fee: Number(fee) };
    return { contractRet: 'SUCCESS', info: { id: tx.txID, ...(fee > 0n ? { fee: Number(fee) } : {}), contractResult: [''], receipt }, effects };
  }
  if (contract.type === 'TransferContract') {
    const { owner_address: owner, to_address: to, amount } = contract.parameter.value;
    if (balance(null, owner) < BigInt(amount)) return null; // java-tron drops a transfer it can no longer validate
    const effects = [
      { contract: null, account: owner, delta: -BigInt(amount) },
      { contract: null, account: to, delta: BigInt(amount) },
    ];
    return { contractRet: 'SUCCESS', info: { id: tx.txID, contractResult: [''], receipt: { net_usage: bytes } }, effects };
  }
  const { owner_address: owner, contract_address: token, data = '' } = contract.parameter.value;
  // Without a resource model every call burns its bandwidth (the earlier simplification).
  const netFee = resources?.useFreeBandwidth(owner, bytes) ? 0n : BigInt(bytes * BANDWIDTH_PRICE_SUN);
  const feeLimit = BigInt(tx.raw.fee_limit ?? 0);
  const isTransfer = data.length === 8 + 128 && data.startsWith(TRANSFER_SELECTOR);
  const to = isTransfer ? evmToTronHex(`0x${data.slice(8 + 24, 8 + 64)}`) : null;
  const amount = isTransfer ? BigInt(`0x${data.slice(8 + 64)}`) : 0n;
  const trxAvailable = balance(null, owner) - netFee;
  let contractRet: ContractRet;
  let energy: number;
  if (tx.forced === 'OUT_OF_ENERGY') {
    contractRet = 'OUT_OF_ENERGY';
    energy = Number(feeLimit) / ENERGY_PRICE_SUN;
  } else if (tx.forced === 'REVERT' || to === null || balance(token, owner) < amount) {
    contractRet = 'REVERT';
    energy = REVERT_ENERGY;
  } else {
    contractRet = 'SUCCESS';
    energy = balance(token, to) === 0n ? TRANSFER_ENERGY_NEW_HOLDER : TRANSFER_ENERGY_EXISTING_HOLDER;
  }
  let energyFee = BigInt(Math.floor(energy * ENERGY_PRICE_SUN));
  // Energy beyond the fee limit, or beyond the TRX the sender holds, ends the call out of energy.
  const energyFeeMax = feeLimit < trxAvailable ? feeLimit : trxAvailable > 0n ? trxAvailable : 0n;
  if (energyFee > energyFeeMax) {
    contractRet = 'OUT_OF_ENERGY';
    energyFee = energyFeeMax;
    energy = Number(energyFee) / ENERGY_PRICE_SUN;
  }
  const fee = energyFee + (netFee < balance(null, owner) ? netFee : balance(null, owner));
  const effects: Effect[] = [{ contract: null, account: owner, delta: -fee }];
  const info: TxInfoBody = { id: tx.txID, fee: Number(fee) };
  const receipt = { energy_fee: Number(energyFee), energy_usage_total: Math.floor(energy), ...(netFee > 0n ? { net_fee: Number(netFee) } : { net_usage: bytes }), result: contractRet };
  if (contractRet === 'SUCCESS' && to) {
    effects.push({ contract: token, account: owner, delta: -amount }, { contract: token, account: to, delta: amount });
    Object.assign(info, {
      contractResult: [TRUE_WORD],
      contract_address: token,
      receipt,
      log: [{ address: token.slice(2), topics: [TRANSFER_TOPIC, pad64(owner.slice(2)), pad64(to.slice(2))], data: pad64(amount.toString(16)) }],
    });
  } else {
    const reason = contractRet === 'REVERT' ? 'REVERT opcode executed' : `Not enough energy for 'SSTORE' operation executing: curInvokeEnergyLimit[${Math.floor(energy)}]`;
    Object.assign(info, { contractResult: [''], contract_address: token, receipt, result: 'FAILED', resMessage: hexOfText(reason) });
  }
  return { contractRet, info, effects };
}
