/**
 * The observations queue's contract per chain family: a Tron message carries base58 addresses and
 * bare 64-hex hashes and round-trips through the queue encoding; a Tron message with EVM-shaped
 * hashes or addresses is refused, and so is an EVM message with Tron-shaped ones.
 */
import { describe, expect, it } from 'vitest';
import { ObservationSchema, parseObservation } from '../../shared/api/messages/observation';
import { encodeObservation, type Observation, type Transfer, transferKey } from '../../shared/domain/transfers';

const TX = 'a'.repeat(64);
const BLOCK = `0000000003${'b'.repeat(54)}`;
const USDT_TRC20 = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
const PAYER = 'TWer2Ygk5TEheHp3TPuYeqxmB6SsGZmaL6';
const DEPOSIT = 'TPjjvMwjPoDC32V2dGDYTkLH4E5LAtBZ6C';
const EVM_ADDRESS = '0x5fbdb2315678afecb367f032d93f642f64180aa3';

const tronTransfer: Transfer = { chain: 'tron', txHash: TX, logIndex: 0, blockNumber: 3, blockHash: BLOCK, blockTime: 1_700_000_000_000, contract: USDT_TRC20, from: PAYER, to: DEPOSIT, amount: 10_000_000n };
const evmTransfer: Transfer = { ...tronTransfer, chain: 'ethereum', txHash: `0x${TX}`, blockHash: `0x${BLOCK}`, contract: EVM_ADDRESS, from: EVM_ADDRESS, to: EVM_ADDRESS };

/** Through the queue as the watcher sends it: JSON text, then the schema. */
const viaQueue = (o: Observation) => ObservationSchema.safeParse(JSON.parse(encodeObservation(o)));
const seen = (transfer: Transfer): Observation => ({ kind: 'transfer.seen', transfer, source: 'watcher' });
const issuesOf = (o: Observation) => {
  const parsed = viaQueue(o);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('Tron observations', () => {
  it('a TRC-20 transfer (base58 addresses, bare hashes) round-trips through the queue', () => {
    expect(parseObservation(JSON.parse(encodeObservation(seen(tronTransfer))))).toEqual(seen(tronTransfer));
  });

  it('a TRX transfer (no contract, the native position) round-trips, and so do confirmed, recheck and orphaned messages', () => {
    const trx = { ...tronTransfer, logIndex: null, contract: null, amount: 120_000_000n };
    const key = transferKey(trx);
    expect(key).toBe(`tron#${TX}#native`);
    const messages: Observation[] = [
      seen(trx),
      { kind: 'transfer.confirmed', chain: 'tron', key, blockNumber: 3, blockHash: BLOCK, confirmations: 20 },
      { kind: 'transfer.recheck', chain: 'tron', key: `tron#${TX}#0` },
      { kind: 'blocks.orphaned', chain: 'tron', blocks: [{ number: 3, hash: BLOCK }] },
    ];
    for (const o of messages) expect(parseObservation(JSON.parse(encodeObservation(o)))).toEqual(o);
  });

  it('refuses EVM-shaped hashes and addresses on tron', () => {
    expect(issuesOf(seen({ ...tronTransfer, txHash: `0x${TX}` }))).toEqual(['transfer.txHash: is not a hash of tron']);
    expect(issuesOf(seen({ ...tronTransfer, blockHash: `0x${BLOCK}` }))).toEqual(['transfer.blockHash: is not a hash of tron']);
    expect(issuesOf(seen({ ...tronTransfer, to: EVM_ADDRESS }))).toEqual(['transfer.to: is not an address of tron in its canonical form']);
    expect(issuesOf(seen({ ...tronTransfer, contract: EVM_ADDRESS, from: EVM_ADDRESS }))).toHaveLength(2);
    expect(issuesOf({ kind: 'transfer.confirmed', chain: 'tron', key: `tron#0x${TX}#0`, blockNumber: 3, blockHash: BLOCK, confirmations: 1 })).toEqual([
      'key: is not a transfer key of a known chain',
    ]);
    expect(issuesOf({ kind: 'transfer.confirmed', chain: 'tron', key: `tron#${TX}#0`, blockNumber: 3, blockHash: `0x${BLOCK}`, confirmations: 1 })).toEqual(['blockHash: is not a hash of tron']);
    expect(issuesOf({ kind: 'blocks.orphaned', chain: 'tron', blocks: [{ number: 3, hash: `0x${BLOCK}` }] })).toEqual(['blocks.0.hash: is not a hash of tron']);
  });

  it('refuses Tron addresses that are not base58 as written: changed case, letters base58 leaves out, a wrong length', () => {
    // Base58 is case-sensitive: a lower-cased address is another (invalid) one, never the same one.
    expect(issuesOf(seen({ ...tronTransfer, to: DEPOSIT.toLowerCase() }))).toHaveLength(1);
    expect(issuesOf(seen({ ...tronTransfer, to: `${DEPOSIT.slice(0, -1)}0` }))).toHaveLength(1);
    expect(issuesOf(seen({ ...tronTransfer, to: `${DEPOSIT.slice(0, -1)}O` }))).toHaveLength(1);
    expect(issuesOf(seen({ ...tronTransfer, to: DEPOSIT.slice(0, -1) }))).toHaveLength(1);
    // Upper-case hex in a hash is not how the reader writes it.
    expect(issuesOf(seen({ ...tronTransfer, txHash: TX.toUpperCase() }))).toEqual(['transfer.txHash: is not a hash of tron']);
  });
});

describe('EVM observations keep their own forms', () => {
  it('an EVM transfer round-trips', () => {
    expect(parseObservation(JSON.parse(encodeObservation(seen(evmTransfer))))).toEqual(seen(evmTransfer));
  });

  it('refuses Tron-shaped hashes and addresses on EVM chains', () => {
    expect(issuesOf(seen({ ...evmTransfer, txHash: TX }))).toEqual(['transfer.txHash: is not a hash of ethereum']);
    expect(issuesOf(seen({ ...evmTransfer, blockHash: BLOCK }))).toEqual(['transfer.blockHash: is not a hash of ethereum']);
    expect(issuesOf(seen({ ...evmTransfer, to: DEPOSIT }))).toEqual(['transfer.to: is not an address of ethereum in its canonical form']);
    expect(issuesOf(seen({ ...evmTransfer, contract: USDT_TRC20 }))).toEqual(['transfer.contract: is not an address of ethereum in its canonical form']);
    expect(issuesOf({ kind: 'transfer.confirmed', chain: 'ethereum', key: `ethereum#${TX}#0`, blockNumber: 3, blockHash: `0x${BLOCK}`, confirmations: 1 })).toEqual([
      'key: is not a transfer key of a known chain',
    ]);
    expect(issuesOf({ kind: 'transfer.recheck', chain: 'base', key: `base#${TX}#native` })).toEqual(['key: is not a transfer key of a known chain']);
    expect(issuesOf({ kind: 'blocks.orphaned', chain: 'bsc', blocks: [{ number: 3, hash: BLOCK }] })).toEqual(['blocks.0.hash: is not a hash of bsc']);
  });

  it('EVM addresses travel lower-case (the watcher writes them so); a checksummed one is refused', () => {
    expect(issuesOf(seen({ ...evmTransfer, to: '0x5FbDB2315678afecb367f032d93F642f64180aa3' }))).toEqual(['transfer.to: is not an address of ethereum in its canonical form']);
  });
});
