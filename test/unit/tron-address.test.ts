/** Tron addresses: base58check both ways, strict validation, and deposit derivation equal to tronweb's. */
import { HDNodeWallet, Mnemonic } from 'ethers';
import { TronWeb } from 'tronweb';
import { describe, expect, it } from 'vitest';
import {
  deriveTronAddress,
  isTronAddress,
  tronAddressFromEvm,
  tronAddressFromHex,
  tronAddressToHex,
} from '../../shared/adapters/chains/tron/address';
import { CHAIN_FAMILIES, normalizeTxHash } from '../../shared/domain/chain-families';
import { findCrypto } from '../../shared/domain/currencies';

const MNEMONIC = 'test test test test test test test test test test test junk';
const USDT = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
const USDT_HEX = '41a614f803b6fd780986a42c78ec9c7f77e6ded13c';

const accountNode = () => HDNodeWallet.fromPhrase(MNEMONIC, undefined, CHAIN_FAMILIES.tron.accountPath);
const accountXpub = () => accountNode().neuter().extendedKey;

/** Changes one base58 character to another valid one, keeping the length. */
const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'a' ? 'b' : 'a') + text.slice(at + 1);

describe('Tron addresses', () => {
  it('reads the registry USDT contract and its java-tron hex form', () => {
    const usdt = findCrypto('USDT_TRC20');
    expect(usdt?.contract).toBe(USDT);
    expect(isTronAddress(USDT)).toBe(true);
    expect(tronAddressToHex(USDT)).toBe(USDT_HEX);
    expect(tronAddressFromHex(USDT_HEX)).toBe(USDT);
    expect(tronAddressFromHex(USDT_HEX.toUpperCase())).toBe(USDT);
    expect(tronAddressFromEvm(`0x${USDT_HEX.slice(2)}`)).toBe(USDT);
    expect(tronAddressFromEvm(USDT_HEX.slice(2))).toBe(USDT);
  });

  it('round-trips hex and base58 the way tronweb does', () => {
    for (let seed = 1; seed <= 20; seed += 1) {
      const hex = `41${seed.toString(16).padStart(2, '0').repeat(20)}`;
      const base58 = tronAddressFromHex(hex);
      expect(base58).toBe(TronWeb.address.fromHex(hex));
      expect(base58).toMatch(/^T/);
      expect(isTronAddress(base58)).toBe(true);
      expect(tronAddressToHex(base58)).toBe(hex);
    }
  });

  it('refuses a wrong checksum, a wrong case, a wrong length, a wrong prefix and other text', () => {
    for (let at = 1; at < USDT.length; at += 5) expect(isTronAddress(flip(USDT, at))).toBe(false);
    expect(isTronAddress(USDT.toLowerCase())).toBe(false);
    expect(isTronAddress(USDT.slice(0, -1))).toBe(false);
    expect(isTronAddress(`${USDT}1`)).toBe(false);
    expect(isTronAddress(` ${USDT}`)).toBe(false);
    // A valid base58check with another version byte (0x00, a Bitcoin address).
    expect(isTronAddress('1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2')).toBe(false);
    expect(isTronAddress(USDT_HEX)).toBe(false);
    expect(isTronAddress('0xa614f803b6fd780986a42c78ec9c7f77e6ded13c')).toBe(false);
    expect(isTronAddress('')).toBe(false);
    expect(() => tronAddressToHex(flip(USDT, 10))).toThrow(/not a Tron address/);
    expect(() => tronAddressFromHex('42a614f803b6fd780986a42c78ec9c7f77e6ded13c')).toThrow(/not a Tron hex address/);
    expect(() => tronAddressFromEvm('0x1234')).toThrow(/not 20 bytes/);
  });

  it("derives deposit i from the m/44'/195'/0' xpub exactly as tronweb derives m/44'/195'/0'/0/i", () => {
    const xpub = accountXpub();
    const derive = deriveTronAddress(xpub);
    for (let i = 0; i <= 4; i += 1) {
      const expected = TronWeb.fromMnemonic(MNEMONIC, `m/44'/195'/0'/0/${i}`).address;
      expect(derive(i)).toBe(expected);
    }
    expect(derive(1)).toBe('TPjjvMwjPoDC32V2dGDYTkLH4E5LAtBZ6C');
  });

  it('refuses a private extended key', () => {
    const xprv = accountNode().extendedKey;
    expect(xprv.startsWith('xprv')).toBe(true);
    expect(() => deriveTronAddress(xprv)).toThrow(/refusing a private extended key/);
    // The mnemonic's master key is refused the same way.
    expect(() => deriveTronAddress(HDNodeWallet.fromSeed(Mnemonic.fromPhrase(MNEMONIC).computeSeed()).extendedKey)).toThrow(/refusing/);
  });
});

describe('Tron hashes and addresses in the family rules', () => {
  it('checks and normalizes transaction hashes: 64 lower-case hex, no 0x', () => {
    const hash = 'ab'.repeat(32);
    const rules = CHAIN_FAMILIES.tron;
    expect(rules.txHashPattern.test(hash)).toBe(true);
    expect(rules.txHashPattern.test(hash.toUpperCase())).toBe(false);
    expect(rules.txHashPattern.test(`0x${hash}`)).toBe(false);
    expect(normalizeTxHash('tron', `0x${hash.toUpperCase()}`)).toBe(hash);
    expect(normalizeTxHash('tron', ` ${hash.toUpperCase()} `)).toBe(hash);
    expect(normalizeTxHash('ethereum', hash)).toBe(`0x${hash}`);
    expect(rules.addressPattern.test(USDT)).toBe(true);
    expect(isTronAddress(flip(USDT, 3))).toBe(false);
  });
});
