/**
 * Byte encodings the TronGrid simulator needs, written out so the simulator depends on ethers
 * only: Tron addresses (hex `41…` and base58check) and the protobuf bytes of a transaction's
 * `raw_data` and of a block header's `raw_data`, field numbers from java-tron's
 * protocol/src/main/protos/core/Tron.proto and core/contract/{balance,smart}_contract.proto.
 * A txID is sha256 of the raw_data bytes, so these must match what tronweb signs byte for byte
 * (the integration test compares them with tronweb's own raw_data_hex).
 */
import { concat, decodeBase58, encodeBase58, getBytes, hexlify, sha256, toUtf8Bytes } from 'ethers';

// ---------------------------------------------------------------------------------------------
// Addresses
// ---------------------------------------------------------------------------------------------

/** 21-byte Tron address in lower-case hex with the 0x41 prefix, no 0x: `41a614…`. */
export type TronHex = string;

const TRON_HEX = /^41[0-9a-f]{40}$/;
const BASE58_ADDRESS_BYTES = 25;

export function isTronHex(value: string): boolean {
  return TRON_HEX.test(value);
}

/** base58check(0x41 ++ 20 bytes): the checksum is the first 4 bytes of sha256(sha256(21 bytes)). */
export function tronHexToBase58(hex: TronHex): string {
  const raw = getBytes(`0x${hex}`);
  const checksum = getBytes(sha256(sha256(raw))).slice(0, 4);
  return encodeBase58(concat([raw, checksum]));
}

/** Decodes and checks a base58 address; null when it is not a valid Tron address. */
export function base58ToTronHex(address: string): TronHex | null {
  let value: bigint;
  try {
    value = decodeBase58(address);
  } catch {
    return null;
  }
  const hex = value.toString(16).padStart(BASE58_ADDRESS_BYTES * 2, '0');
  if (hex.length !== BASE58_ADDRESS_BYTES * 2) return null;
  const raw = hex.slice(0, 42);
  const checksum = sha256(sha256(`0x${raw}`)).slice(2, 10);
  if (checksum !== hex.slice(42) || !isTronHex(raw)) return null;
  return raw;
}

/** An address from the control API or a request: base58, `41…` hex, or an EVM `0x…` address. */
export function parseTronAddress(value: unknown): TronHex | null {
  if (typeof value !== 'string') return null;
  const lower = value.toLowerCase();
  if (isTronHex(lower)) return lower;
  if (/^0x[0-9a-f]{40}$/.test(lower)) return `41${lower.slice(2)}`;
  return base58ToTronHex(value);
}

/** The Tron form of an EVM address (same 20 bytes). */
export function evmToTronHex(evmAddress: string): TronHex {
  return `41${evmAddress.slice(2).toLowerCase()}`;
}

export function hexOfText(text: string): string {
  return hexlify(toUtf8Bytes(text)).slice(2);
}

// ---------------------------------------------------------------------------------------------
// Protobuf (proto3: fields holding their default value are not written)
// ---------------------------------------------------------------------------------------------

const WIRE_VARINT = 0;
const WIRE_BYTES = 2;

function varint(value: bigint): number[] {
  // int64 negatives are written as 10-byte two's complement; none occur here, refuse them.
  if (value < 0n) throw new Error(`negative varint ${value}`);
  const out: number[] = [];
  let v = value;
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return out;
}

const tag = (field: number, wire: number) => varint(BigInt((field << 3) | wire));

function varintField(field: number, value: bigint | number | undefined): number[] {
  if (value === undefined) return [];
  const v = BigInt(value);
  return v === 0n ? [] : [...tag(field, WIRE_VARINT), ...varint(v)];
}

function bytesField(field: number, bytes: Uint8Array | number[] | undefined): number[] {
  if (!bytes || bytes.length === 0) return [];
  return [...tag(field, WIRE_BYTES), ...varint(BigInt(bytes.length)), ...bytes];
}

const hexBytes = (hex: string | undefined): Uint8Array | undefined => (hex ? getBytes(`0x${hex.replace(/^0x/, '')}`) : undefined);

/** java-tron's Transaction.Contract.ContractType numbers, for the two types the simulator carries. */
export const CONTRACT_TYPE_NUMBER = { TransferContract: 1, TriggerSmartContract: 31 } as const;
export type SupportedContractType = keyof typeof CONTRACT_TYPE_NUMBER;

export type TransferValue = { amount: number; owner_address: TronHex; to_address: TronHex };
export type TriggerValue = { data?: string; owner_address: TronHex; contract_address: TronHex; call_value?: number };

export type RawContract =
  | { type: 'TransferContract'; parameter: { value: TransferValue; type_url: string }; Permission_id?: number }
  | { type: 'TriggerSmartContract'; parameter: { value: TriggerValue; type_url: string }; Permission_id?: number };

/** The JSON `raw_data` of a transaction, as java-tron prints it (visible=false). */
export type RawData = {
  contract: RawContract[];
  ref_block_bytes: string;
  ref_block_hash: string;
  expiration: number;
  fee_limit?: number;
  timestamp?: number;
  data?: string;
};

function encodeContractValue(contract: RawContract): number[] {
  if (contract.type === 'TransferContract') {
    const v = contract.parameter.value;
    return [...bytesField(1, hexBytes(v.owner_address)), ...bytesField(2, hexBytes(v.to_address)), ...varintField(3, v.amount)];
  }
  const v = contract.parameter.value;
  return [
    ...bytesField(1, hexBytes(v.owner_address)),
    ...bytesField(2, hexBytes(v.contract_address)),
    ...varintField(3, v.call_value),
    ...bytesField(4, hexBytes(v.data)),
  ];
}

/** Transaction.raw: ref_block_bytes 1, ref_block_hash 4, expiration 8, data 10, contract 11, timestamp 14, fee_limit 18. */
export function encodeRawData(raw: RawData): Uint8Array {
  const contracts = raw.contract.flatMap((contract) => {
    const number = CONTRACT_TYPE_NUMBER[contract.type];
    if (number === undefined) throw new Error(`contract type ${String(contract.type)} is not simulated`);
    // google.protobuf.Any: type_url 1, value 2.
    const any = [...bytesField(1, toUtf8Bytes(contract.parameter.type_url)), ...bytesField(2, encodeContractValue(contract))];
    const body = [...varintField(1, number), ...bytesField(2, any), ...varintField(5, contract.Permission_id)];
    return bytesField(11, body);
  });
  return Uint8Array.from([
    ...bytesField(1, hexBytes(raw.ref_block_bytes)),
    ...bytesField(4, hexBytes(raw.ref_block_hash)),
    ...varintField(8, raw.expiration),
    ...bytesField(10, hexBytes(raw.data)),
    ...contracts,
    ...varintField(14, raw.timestamp),
    ...varintField(18, raw.fee_limit),
  ]);
}

export type BlockHeaderRaw = {
  number: number;
  txTrieRoot: string;
  witness_address: TronHex;
  parentHash: string;
  version: number;
  timestamp: number;
};

/** BlockHeader.raw: timestamp 1, txTrieRoot 2, parentHash 3, number 7, witness_address 9, version 10. */
export function encodeBlockHeaderRaw(header: BlockHeaderRaw): Uint8Array {
  return Uint8Array.from([
    ...varintField(1, header.timestamp),
    ...bytesField(2, hexBytes(header.txTrieRoot)),
    ...bytesField(3, hexBytes(header.parentHash)),
    ...varintField(7, header.number),
    ...bytesField(9, hexBytes(header.witness_address)),
    ...varintField(10, header.version),
  ]);
}

/** sha256 of bytes as 64 lower-case hex chars, no 0x. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return sha256(bytes).slice(2);
}
