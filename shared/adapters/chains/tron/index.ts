/** The Tron adapter: addresses, the TronGrid client and the chain reader. */
import { deriveTronAddress, isTronAddress } from './address';

export * from './address';

/** A Tron transaction id as stored and keyed: 64 lower-case hex, no 0x. */
const TX_HASH = /^[0-9a-f]{64}$/;

/** What the rest of the gateway needs to know about Tron's addresses and transaction ids. */
export const tronFamily = {
  deriveAddress: (accountXpub: string, index: number): string => deriveTronAddress(accountXpub, index),
  isAddress: (text: string): boolean => isTronAddress(text),
  isTxHash: (text: string): boolean => TX_HASH.test(text),
  /** Explorers and wallets show ids upper-case or with 0x; the stored form has neither. */
  normalizeTxHash: (text: string): string => text.trim().toLowerCase().replace(/^0x/, ''),
};
export * from './tron-reader';
export * from './trongrid-client';
