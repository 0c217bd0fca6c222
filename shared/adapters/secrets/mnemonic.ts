/**
 * The deployment's BIP39 mnemonic, the one secret that can move funds: a literal locally
 * (MNEMONIC, the data folder's devnet phrase), the Secrets Manager secret `mnemonic` on AWS
 * (MNEMONIC_SECRET_ARN), which only the sweep and withdrawal workers are given. Every error names
 * where the phrase came from and what is wrong with it, never the phrase or any of its words.
 */
import { Mnemonic } from 'ethers';
import type { SecretRef, SecretSource } from './secret-source';

/** BIP39 phrases have 12, 15, 18, 21 or 24 words. */
const WORD_COUNTS = new Set([12, 15, 18, 21, 24]);

export class MnemonicError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MnemonicError';
  }
}

/** Where this function's mnemonic comes from; null when it is given neither variable. */
export function mnemonicRef(config: { MNEMONIC?: string; MNEMONIC_SECRET_ARN?: string }): SecretRef | null {
  if (config.MNEMONIC_SECRET_ARN) return { kind: 'aws', arn: config.MNEMONIC_SECRET_ARN };
  if (config.MNEMONIC) return { kind: 'literal', value: config.MNEMONIC };
  return null;
}

/** The phrase in its one form (single spaces, lower case), or a MnemonicError that does not echo it. */
export function validMnemonic(text: string, source: string): string {
  const phrase = text.trim().split(/\s+/).join(' ');
  const words = phrase === '' ? 0 : phrase.split(' ').length;
  if (!WORD_COUNTS.has(words)) throw new MnemonicError(`the mnemonic from ${source} is not a BIP39 phrase: it has ${words} words, expected 12, 15, 18, 21 or 24`);
  if (!Mnemonic.isValidMnemonic(phrase)) throw new MnemonicError(`the mnemonic from ${source} is not a BIP39 phrase: a word is not in the English word list or its checksum does not match`);
  return phrase;
}

/** Reads and validates the mnemonic (Secrets Manager values are cached by `secrets`). */
export async function readMnemonic(secrets: SecretSource, config: { MNEMONIC?: string; MNEMONIC_SECRET_ARN?: string }): Promise<string> {
  const ref = mnemonicRef(config);
  if (!ref) throw new MnemonicError('signing needs the mnemonic: MNEMONIC_SECRET_ARN (or MNEMONIC locally), which this function is not given (lib/manifest.ts access)');
  const source = ref.kind === 'aws' ? 'MNEMONIC_SECRET_ARN' : 'MNEMONIC';
  return validMnemonic(await secrets.read(ref), source);
}
