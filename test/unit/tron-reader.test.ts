/**
 * The Tron reader's decoding, from java-tron-shaped fixtures served by a tiny local HTTP server
 * (a fixture lookup, not a TronGrid simulator): TRX transfers, a TRC-20 transfer whose Transfer
 * is its second log, a failed OUT_OF_ENERGY call, a log of a token outside the registry, a zero
 * amount, an empty block; the calls a scan costs; and the fork checks.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tronAddressFromHex } from '../../shared/adapters/chains/tron/address';
import { TRC20_TRANSFER_TOPIC, TronChainReader } from '../../shared/adapters/chains/tron/tron-reader';
import { quoteLongIntegers, TronGridClient } from '../../shared/adapters/chains/tron/trongrid-client';
import { transferKey } from '../../shared/domain/transfers';

const BASE = 56_241_000;
/** The fixture chain: blocks BASE - 1 … HEAD. */
const HEAD = BASE + 199;
const SOLID = BASE + 180;
const T0 = 1_700_000_000_000;

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const hexAddr = (byte: string) => `41${byte.repeat(20)}`;
const WATCHED = hexAddr('11');
const PAYER = hexAddr('22');
const OTHER = hexAddr('33');
const USDT = '41a614f803b6fd780986a42c78ec9c7f77e6ded13c';
const ROGUE_TOKEN = hexAddr('cc');
const b58 = tronAddressFromHex;
const word = (hex: string) => hex.padStart(64, '0');
const APPROVAL_TOPIC = '8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925';

type Json = Record<string, unknown>;
let nonce = 0;

function transaction(type: 'TransferContract' | 'TriggerSmartContract', value: Json, contractRet: string): Json {
  nonce += 1;
  return {
    ret: [{ contractRet }],
    signature: ['ab'.repeat(65)],
    txID: sha(`tx ${nonce}`),
    raw_data: {
      contract: [{ parameter: { value, type_url: `type.googleapis.com/protocol.${type}` }, type }],
      ref_block_bytes: '2b7a',
      ref_block_hash: 'c0ffee00c0ffee00',
      expiration: T0 + 60_000,
      timestamp: T0,
      ...(type === 'TriggerSmartContract' ? { fee_limit: 100_000_000 } : {}),
    },
    raw_data_hex: '0a022b7a',
  };
}
const trx = (from: string, to: string, amount: number) => transaction('TransferContract', { amount, owner_address: from, to_address: to }, 'SUCCESS');
const trc20Call = (owner: string, token: string, to: string, amount: bigint, contractRet = 'SUCCESS') =>
  transaction('TriggerSmartContract', { data: `a9059cbb${word(to.slice(2))}${word(amount.toString(16))}`, owner_address: owner, contract_address: token }, contractRet);
const transferLog = (token: string, from: string, to: string, amount: bigint) => ({
  address: token.slice(2),
  topics: [TRC20_TRANSFER_TOPIC, word(from.slice(2)), word(to.slice(2))],
  data: word(amount.toString(16)),
});

const blockId = (n: number, fork = '') => `${n.toString(16).padStart(16, '0')}${sha(`block ${n}${fork}`).slice(0, 48)}`;
function block(n: number, transactions: Json[]): Json {
  return {
    blockID: blockId(n),
    block_header: {
      raw_data: { number: n, txTrieRoot: transactions.length > 0 ? sha(`tx trie ${n}`) : '0'.repeat(64), witness_address: hexAddr('77'), parentHash: blockId(n - 1), version: 30, timestamp: T0 + (n - BASE) * 3000 },
      witness_signature: 'ee'.repeat(65),
    },
    ...(transactions.length > 0 ? { transactions } : {}), // java-tron leaves the key out of an empty block
  };
}

// Block BASE: plain TRX transfers only. Block BASE + 1: contract calls and one TRX transfer. BASE + 2: empty.
const trxToWatched = trx(PAYER, WATCHED, 1_500_000);
const trxElsewhere = trx(PAYER, OTHER, 7_000_000);
const usdtPaid = trc20Call(PAYER, USDT, WATCHED, 25_000_000n);
const usdtOutOfEnergy = trc20Call(PAYER, USDT, WATCHED, 9_000_000n, 'OUT_OF_ENERGY');
const rogueToken = trc20Call(PAYER, ROGUE_TOKEN, WATCHED, 1_000_000n);
const usdtZero = trc20Call(PAYER, USDT, WATCHED, 0n);
const trxInCallBlock = trx(PAYER, WATCHED, 2_000_000);

const idOf = (tx: Json) => tx.txID as string;
const callInfo = (tx: Json, n: number, token: string, log: Json[], extra: Json = {}) => ({
  id: idOf(tx),
  fee: 345_000,
  blockNumber: n,
  blockTimeStamp: T0 + (n - BASE) * 3000,
  contractResult: [''],
  contract_address: token,
  receipt: { energy_usage_total: 64_285, net_usage: 345, result: 'SUCCESS' },
  ...(log.length > 0 ? { log } : {}),
  ...extra,
});
/** A plain TRX transfer's info: no fee (free bandwidth, so java-tron leaves it out), no receipt result, no log. */
const trxInfo = (tx: Json, n: number) => ({ id: idOf(tx), blockNumber: n, blockTimeStamp: T0 + (n - BASE) * 3000, contractResult: [''], receipt: { net_usage: 268 } });

function fixtureInfos(): Map<number, Json[]> {
  const n = BASE + 1;
  return new Map([
    [BASE, [trxInfo(trxToWatched, BASE), trxInfo(trxElsewhere, BASE)]],
    [
      n,
      [
        // The Transfer is the call's second log (an Approval first), so its logIndex is 1.
        callInfo(usdtPaid, n, USDT, [
          { address: USDT.slice(2), topics: [APPROVAL_TOPIC, word(PAYER.slice(2)), word(hexAddr('44').slice(2))], data: word('0') },
          transferLog(USDT, PAYER, WATCHED, 25_000_000n),
        ]),
        // Failed calls carry no logs on chain; one is planted here to show it is never read.
        callInfo(usdtOutOfEnergy, n, USDT, [transferLog(USDT, PAYER, WATCHED, 9_000_000n)], {
          receipt: { energy_fee: 27_000_000, energy_usage_total: 100_000, net_usage: 345, result: 'OUT_OF_ENERGY' },
          result: 'FAILED',
          resMessage: Buffer.from('Not enough energy for ...').toString('hex'),
        }),
        callInfo(rogueToken, n, ROGUE_TOKEN, [transferLog(ROGUE_TOKEN, PAYER, WATCHED, 1_000_000n)]),
        callInfo(usdtZero, n, USDT, [transferLog(USDT, PAYER, WATCHED, 0n)]),
        trxInfo(trxInCallBlock, n),
      ],
    ],
  ]);
}
function fixtureBlocks(): Map<number, Json> {
  const blocks = new Map<number, Json>();
  for (let n = BASE - 1; n <= HEAD; n += 1) blocks.set(n, block(n, []));
  blocks.set(BASE, block(BASE, [trxToWatched, trxElsewhere]));
  blocks.set(BASE + 1, block(BASE + 1, [usdtPaid, usdtOutOfEnergy, rogueToken, usdtZero, trxInCallBlock]));
  // Tron's chain id is the genesis id's last 4 bytes: mainnet's 0x2b6653dc.
  blocks.set(0, { blockID: `${'0'.repeat(16)}${'1e'.repeat(20)}2b6653dc`, block_header: { raw_data: { parentHash: 'e5'.repeat(32) } } });
  return blocks;
}

// What the server answers; tests change these to play forks.
let blocks = fixtureBlocks();
let infos = fixtureInfos();
const requests: { path: string; body: Json }[] = [];
let server: Server;
let url = '';

const infosOf = (n: number): Json[] => infos.get(n) ?? ((blocks.get(n)?.transactions as Json[] | undefined) ?? []).map((tx) => trxInfo(tx, n));
function answer(path: string, body: Json): unknown {
  const num = Number(body.num);
  const txId = String(body.value);
  const allTxs = () => [...blocks.entries()].flatMap(([n, b]) => ((b.transactions as Json[] | undefined) ?? []).map((tx) => ({ n, tx })));
  switch (path) {
    case '/wallet/getnowblock':
      return blocks.get(HEAD);
    case '/walletsolidity/getnowblock':
      return blocks.get(SOLID);
    case '/wallet/getblockbynum':
      return blocks.get(num) ?? {};
    case '/wallet/getblockbylimitnext': {
      const start = Number(body.startNum);
      const end = Math.min(Number(body.endNum), start + 100);
      const found = Array.from({ length: Math.max(0, end - start) }, (_, i) => blocks.get(start + i)).filter(Boolean);
      return found.length > 0 ? { block: found } : {};
    }
    case '/wallet/gettransactioninfobyblocknum':
      return infosOf(num);
    case '/wallet/gettransactionbyid':
      return allTxs().find(({ tx }) => idOf(tx) === txId)?.tx ?? {};
    case '/wallet/gettransactioninfobyid': {
      const found = allTxs().find(({ tx }) => idOf(tx) === txId);
      return found ? (infosOf(found.n).find((i) => i.id === txId) ?? {}) : {};
    }
    default:
      return { Error: `no fixture for ${path}` };
  }
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    const body = JSON.parse(text || '{}') as Json;
    requests.push({ path: req.url ?? '', body });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer(req.url ?? '', body)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  blocks = fixtureBlocks();
  infos = fixtureInfos();
  requests.length = 0;
});

const reader = (expectedChainId?: number) => new TronChainReader('tron', new TronGridClient({ urls: [url], attempts: 1, timeoutMs: 5_000 }), expectedChainId);
const isWatched = (address: string) => address === b58(WATCHED);
const at = (n: number) => ({ chain: 'tron', blockNumber: n, blockHash: blockId(n), blockTime: T0 + (n - BASE) * 3000 });

describe('Tron reader: scan', () => {
  it('reports TRX transfers and successful registry TRC-20 transfers to watched addresses, in base58, with block facts', async () => {
    const r = reader();

    const { blocks: scanned, transfers } = await r.scan({ from: BASE, to: BASE + 2 }, isWatched, [b58(USDT)]);

    expect(scanned).toEqual([BASE, BASE + 1, BASE + 2].map((n) => ({ number: n, hash: blockId(n), parentHash: blockId(n - 1), time: T0 + (n - BASE) * 3000 })));
    expect(transfers).toEqual([
      { ...at(BASE), txHash: idOf(trxToWatched), logIndex: null, contract: null, from: b58(PAYER), to: b58(WATCHED), amount: 1_500_000n },
      { ...at(BASE + 1), txHash: idOf(usdtPaid), logIndex: 1, contract: b58(USDT), from: b58(PAYER), to: b58(WATCHED), amount: 25_000_000n },
      { ...at(BASE + 1), txHash: idOf(trxInCallBlock), logIndex: null, contract: null, from: b58(PAYER), to: b58(WATCHED), amount: 2_000_000n },
    ]);
    expect(transfers.map(transferKey)).toEqual([`tron#${idOf(trxToWatched)}#native`, `tron#${idOf(usdtPaid)}#1`, `tron#${idOf(trxInCallBlock)}#native`]);
    for (const t of transfers) expect(t.txHash).toMatch(/^[0-9a-f]{64}$/);
    // One block read for the range, one info read for the only block holding a contract call.
    expect(requests.map((q) => [q.path, q.body])).toEqual([
      ['/wallet/getblockbylimitnext', { startNum: BASE, endNum: BASE + 3 }],
      ['/wallet/gettransactioninfobyblocknum', { num: BASE + 1 }],
    ]);
    expect(r.calls).toBe(2);
  });

  it("takes a token outside the registry only when asked for 'all' contracts", async () => {
    const { transfers } = await reader().scan({ from: BASE + 1, to: BASE + 1 }, isWatched, 'all');
    expect(transfers.map((t) => [t.txHash, t.contract, t.amount])).toEqual([
      [idOf(usdtPaid), b58(USDT), 25_000_000n],
      [idOf(rogueToken), b58(ROGUE_TOKEN), 1_000_000n],
      [idOf(trxInCallBlock), null, 2_000_000n],
    ]);
  });

  it('sees a registry token moved by a contract constructor (CreateSmartContract) in a block without calls, as the transaction read does', async () => {
    // A payer deploys a contract whose constructor sends USDT it was given ahead to the deposit address.
    nonce += 1;
    const deploy = {
      ...transaction('TriggerSmartContract', {}, 'SUCCESS'),
      raw_data: {
        contract: [{ parameter: { value: { owner_address: PAYER, new_contract: { bytecode: '6080', origin_address: PAYER } }, type_url: 'type.googleapis.com/protocol.CreateSmartContract' }, type: 'CreateSmartContract' }],
        ref_block_bytes: '2b7a',
        ref_block_hash: 'c0ffee00c0ffee00',
        expiration: T0 + 60_000,
        timestamp: T0,
        fee_limit: 100_000_000,
      },
      txID: sha(`deploy ${nonce}`),
    };
    const n = BASE + 2;
    blocks.set(n, block(n, [deploy]));
    infos.set(n, [callInfo(deploy, n, hexAddr('66'), [transferLog(USDT, hexAddr('66'), WATCHED, 7_000_000n)])]);
    const r = reader();
    const { transfers } = await r.scan({ from: n, to: n }, isWatched, [b58(USDT)]);
    const read = await r.transaction(idOf(deploy));
    expect(read?.tokenTransfers).toEqual([{ logIndex: 0, contract: b58(USDT), from: b58(hexAddr('66')), to: b58(WATCHED), amount: 7_000_000n }]);
    expect(transfers).toEqual([{ ...at(n), txHash: idOf(deploy), logIndex: 0, contract: b58(USDT), from: b58(hexAddr('66')), to: b58(WATCHED), amount: 7_000_000n }]);
  });

  it('costs calls linear in blocks, not in watched addresses: 25 blocks per read', async () => {
    const r = reader();
    const { blocks: scanned } = await r.scan({ from: BASE, to: BASE + 59 }, () => true, 'all');
    expect(scanned).toHaveLength(60);
    expect(requests.map((q) => [q.path, q.body])).toEqual([
      ['/wallet/getblockbylimitnext', { startNum: BASE, endNum: BASE + 25 }],
      ['/wallet/getblockbylimitnext', { startNum: BASE + 25, endNum: BASE + 50 }],
      ['/wallet/getblockbylimitnext', { startNum: BASE + 50, endNum: BASE + 60 }],
      ['/wallet/gettransactioninfobyblocknum', { num: BASE + 1 }],
    ]);
  });

  it('refuses a range past the head', async () => {
    await expect(reader().scan({ from: HEAD - 1, to: HEAD + 1 }, isWatched, 'all')).rejects.toThrow(`tron: block ${HEAD + 1} is not available yet`);
  });

  it('throws "chain moved" when a block info lists other transactions than the block read', async () => {
    const n = BASE + 1;
    infos.set(n, (infos.get(n) ?? []).slice(1));
    await expect(reader().scan({ from: BASE, to: BASE + 2 }, isWatched, 'all')).rejects.toThrow(`tron: chain moved during scan at block ${n}`);
  });

  it('throws "chain moved" when the blocks read do not link by parent hash', async () => {
    const n = BASE + 2;
    const forked = block(n, []);
    (forked.block_header as { raw_data: Json }).raw_data.parentHash = blockId(n - 1, 'fork');
    blocks.set(n, forked);
    await expect(reader().scan({ from: BASE, to: BASE + 2 }, isWatched, 'all')).rejects.toThrow(`tron: chain moved during scan at block ${n}`);
  });

  it('reads a TRX amount beyond 2^53 sun exactly (a whale transfer neither stalls the scan nor loses digits)', async () => {
    const whale = trx(PAYER, OTHER, 2 ** 60);
    blocks.set(BASE + 2, block(BASE + 2, [whale]));
    await expect(reader().scan({ from: BASE + 2, to: BASE + 2 }, isWatched, 'all')).resolves.toMatchObject({ transfers: [] });
    const { transfers } = await reader().scan({ from: BASE + 2, to: BASE + 2 }, () => true, 'all');
    // The fixture server writes 2^60 as the digits 1152921504606847000: those digits, not the double nearest them (…6976).
    expect(transfers.map((t) => t.amount)).toEqual([1_152_921_504_606_847_000n]);
  });

  it('quotes only long integers outside strings', () => {
    expect(quoteLongIntegers('{"amount":1152921504606846977,"n":12,"s":"a:1234567890123456789}","f":12345678901234567.5,"l":[99999999999999999]}')).toBe(
      '{"amount":"1152921504606846977","n":12,"s":"a:1234567890123456789}","f":12345678901234567.5,"l":["99999999999999999"]}',
    );
    // An escaped quote does not end the string; a negative number is not an amount and stays as it is.
    expect(quoteLongIntegers('{"e":"x\\"1234567890123456789","k":-12345678901234567}')).toBe('{"e":"x\\"1234567890123456789","k":-12345678901234567}');
  });
});

describe('Tron reader: transaction', () => {
  it('reads a TRC-20 transfer: owner, no native value, its Transfer log at its place in the info', async () => {
    const facts = await reader().transaction(idOf(usdtPaid));
    expect(facts).toEqual({
      txHash: idOf(usdtPaid),
      blockNumber: BASE + 1,
      blockHash: blockId(BASE + 1),
      blockTime: T0 + 3000,
      succeeded: true,
      from: b58(PAYER),
      to: null,
      value: 0n,
      tokenTransfers: [{ logIndex: 1, contract: b58(USDT), from: b58(PAYER), to: b58(WATCHED), amount: 25_000_000n }],
    });
  });

  it('reads a TRX transfer, accepting an upper-case id with 0x', async () => {
    const facts = await reader().transaction(`0x${idOf(trxToWatched).toUpperCase()}`);
    expect(facts).toMatchObject({ txHash: idOf(trxToWatched), succeeded: true, from: b58(PAYER), to: b58(WATCHED), value: 1_500_000n, tokenTransfers: [] });
  });

  it('marks an OUT_OF_ENERGY call as failed', async () => {
    expect(await reader().transaction(idOf(usdtOutOfEnergy))).toMatchObject({ succeeded: false, from: b58(PAYER), to: null });
  });

  it('answers null for an unknown transaction and for one not yet in a block', async () => {
    expect(await reader().transaction('ab'.repeat(32))).toBeNull();
    infos.set(BASE, [trxInfo(trxElsewhere, BASE)]); // trxToWatched's info is {}: still pending
    expect(await reader().transaction(idOf(trxToWatched))).toBeNull();
  });

  it('throws "chain moved" when the info names a block that does not hold the transaction', async () => {
    const moved = trxInfo(trxToWatched, BASE + 2);
    infos.set(BASE, [moved, trxInfo(trxElsewhere, BASE)]);
    await expect(reader().transaction(idOf(trxToWatched))).rejects.toThrow(/the chain moved while reading/);
  });
});

describe('Tron reader: head, solidified block, block hashes, chain id', () => {
  it('reads the head, the solidified block and block ids', async () => {
    const r = reader();
    expect(await r.head()).toEqual({ number: HEAD, hash: blockId(HEAD) });
    expect(await r.taggedBlock('solidified')).toBe(SOLID);
    expect(await r.blockHash(BASE + 5)).toBe(blockId(BASE + 5));
    expect(await r.blockHash(HEAD + 10)).toBeNull();
  });

  it("refuses the EVM tags 'safe' and 'finalized' without a request", async () => {
    const r = reader();
    await expect(r.taggedBlock('safe')).rejects.toThrow("tron has no 'safe' block: its finality tag is 'solidified'");
    await expect(r.taggedBlock('finalized')).rejects.toThrow(/no 'finalized' block/);
    expect(r.calls).toBe(0);
  });

  it('checks the chain id against the genesis block once, when one is expected', async () => {
    const mainnet = reader(728_126_428);
    await mainnet.head();
    await mainnet.head();
    expect(requests.filter((q) => q.body.num === 0)).toHaveLength(1);
    await expect(reader(3_448_148_188).head()).rejects.toThrow('serves chain id 728126428, expected 3448148188');
  });
});
