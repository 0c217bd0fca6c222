/**
 * Tron addresses: base58check(0x41 ++ 20 bytes), the same 20 bytes an EVM key gives. Deposit
 * addresses come from the account xpub at m/44'/195'/0' with ethers (watch-only, like the EVM
 * allocator); the tests compare it with the reference Tron library (a test-only dependency).
 */
import { decodeBase58, encodeBase58, getBytes, hexlify, sha256, toBeArray } from 'ethers';
import type { AddressDeriver } from '../../../ports';
import { externalChain } from '../evm/address';

/** Every Tron mainnet (and Nile) account address starts with this byte, hence the leading `T`. */
const ADDRESS_PREFIX_BYTE = 0x41;
const ADDRESS_BYTES = 21;
const CHECKSUM_BYTES = 4;
/** base58 of 25 bytes starting with 0x41 is always 34 characters starting with T. */
const BASE58_ADDRESS = /^T[1-9A-HJ-NP-Za-km-z]{33}$/;
const HEX_ADDRESS = /^41[0-9a-fA-F]{40}$/;
const EVM_ADDRESS = /^(0x)?[0-9a-fA-F]{40}$/;

const checksumOf = (payload: Uint8Array): Uint8Array => getBytes(sha256(sha256(payload))).slice(0, CHECKSUM_BYTES);

/** `41` + 40 hex (java-tron's form, any case) to base58 `T…`. */
export function tronAddressFromHex(hex: string): string {
  if (!HEX_ADDRESS.test(hex)) throw new Error(`not a Tron hex address (41 + 20 bytes): ${JSON.stringify(hex)}`);
  const payload = getBytes(`0x${hex}`);
  const full = new Uint8Array(ADDRESS_BYTES + CHECKSUM_BYTES);
  full.set(payload);
  full.set(checksumOf(payload), ADDRESS_BYTES);
  return encodeBase58(full);
}

/** The 21 bytes of a base58 address, or null when it is not one (length, prefix, checksum). */
function payloadOf(text: string): Uint8Array | null {
  if (!BASE58_ADDRESS.test(text)) return null;
  const bytes = toBeArray(decodeBase58(text));
  if (bytes.length !== ADDRESS_BYTES + CHECKSUM_BYTES || bytes[0] !== ADDRESS_PREFIX_BYTE) return null;
  const payload = bytes.slice(0, ADDRESS_BYTES);
  const checksum = checksumOf(payload);
  for (let i = 0; i < CHECKSUM_BYTES; i += 1) if (bytes[ADDRESS_BYTES + i] !== checksum[i]) return null;
  return payload;
}

/** A base58 Tron address with a valid checksum, compared exactly (base58 is case-sensitive). */
export const isTronAddress = (text: string): boolean => payloadOf(text) !== null;

/** Base58 `T…` to java-tron's hex form: `41` + 40 lower-case hex, no 0x. */
export function tronAddressToHex(address: string): string {
  const payload = payloadOf(address);
  if (!payload) throw new Error(`not a Tron address: ${JSON.stringify(address)}`);
  return hexlify(payload).slice(2);
}

/** The Tron address of 20 EVM address bytes (`0x…` or bare hex: log addresses and topics carry them without 41). */
export function tronAddressFromEvm(evmAddress: string): string {
  if (!EVM_ADDRESS.test(evmAddress)) throw new Error(`not 20 bytes of hex: ${JSON.stringify(evmAddress)}`);
  return tronAddressFromHex(`41${evmAddress.replace(/^0x/, '')}`);
}

/** Watch-only deposit derivation under the account xpub (`m/44'/195'/0'`, TRON_XPUB): the EVM derivation's 20 bytes, written the Tron way. */
export const deriveTronAddress: AddressDeriver = (accountXpub) => {
  const external = externalChain(accountXpub);
  return (index) => tronAddressFromEvm(external.deriveChild(index).address);
};
