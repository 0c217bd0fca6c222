/**
 * EVM deposit addresses: the external chain `0/i` under the account xpub (`m/44'/60'/0'`), checksummed.
 *
 * Watch-only BIP-32 public derivation (CKDpub) on ethers' crypto primitives, not `HDNodeWallet`:
 * the wallet class brings signing, keystores (aes-js), mnemonics and the provider base classes,
 * about 145 KB that every function building the runtime would carry to derive an address.
 * test/unit/tron-address.test.ts checks it against tronweb's own derivation (Tron's addresses are these 20 bytes).
 */
import { computeHmac, SigningKey, sha256 } from 'ethers/crypto';
import { computeAddress } from 'ethers/transaction';
import { concat, dataSlice, decodeBase58, getBytes, hexlify, toBeHex } from 'ethers/utils';
import type { AddressDeriver } from '../../../ports';

/** BIP-32 serialization: version 4, depth 1, parent fingerprint 4, child number 4, chain code 32, key 33, checksum 4. */
const EXTENDED_KEY_BYTES = 82;
const PUBLIC_VERSIONS = new Set(['0x0488b21e', '0x043587cf']); // xpub, tpub
const PRIVATE_VERSIONS = new Set(['0x0488ade4', '0x04358394']); // xprv, tprv
/** Indexes from 2^31 are hardened: they need the private key. */
const HARDENED_INDEX_MIN = 0x8000_0000;

type PublicNode = { publicKey: string; chainCode: string };

function parseXpub(extendedKey: string): PublicNode {
  const bytes = getBytes(toBeHex(decodeBase58(extendedKey), EXTENDED_KEY_BYTES));
  if (bytes.length !== EXTENDED_KEY_BYTES) throw new Error('not an extended key: wrong length');
  const payload = bytes.slice(0, 78);
  if (dataSlice(sha256(sha256(payload)), 0, 4) !== hexlify(bytes.slice(78))) throw new Error('not an extended key: bad checksum');
  const version = hexlify(bytes.slice(0, 4));
  if (PRIVATE_VERSIONS.has(version)) throw new Error('refusing a private extended key: API functions take only the xpub');
  if (!PUBLIC_VERSIONS.has(version)) throw new Error(`not an extended public key: version ${version}`);
  return { chainCode: hexlify(bytes.slice(13, 45)), publicKey: hexlify(bytes.slice(45, 78)) };
}

/** CKDpub: the child's key is point(IL) + the parent's key, IL the left half of HMAC-SHA512(chain code, key || index). */
function publicChild(node: PublicNode, index: number): PublicNode {
  if (!Number.isInteger(index) || index < 0 || index >= HARDENED_INDEX_MIN) throw new Error(`deposit index ${index} is out of the unhardened range`);
  const digest = computeHmac('sha512', node.chainCode, concat([node.publicKey, toBeHex(index, 4)]));
  return { publicKey: SigningKey.addPoints(dataSlice(digest, 0, 32), node.publicKey, true), chainCode: dataSlice(digest, 32) };
}

/** The external chain `0` of a watch-only account key; shared by every family on secp256k1 (Tron re-encodes the same 20 bytes). */
export function externalChain(accountXpub: string) {
  const external = publicChild(parseXpub(accountXpub), 0);
  return { deriveChild: (index: number) => ({ address: computeAddress(publicChild(external, index).publicKey) }) };
}

export const deriveEvmAddress: AddressDeriver = (accountXpub) => {
  const external = externalChain(accountXpub);
  return (index) => external.deriveChild(index).address;
};
