/**
 * The TronGrid simulator over real HTTP: the shapes of every endpoint the Tron adapter reads,
 * solidification lag, failed TRC-20 calls, forks (re-included and dropped transactions),
 * transactions signed offline by tronweb, refused signatures, the API key and the fault mode.
 */
import { sha256, Wallet } from 'ethers';
import { TronWeb } from 'tronweb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_SOLIDIFY_DEPTH,
  SIMULATED_TOKENS,
  startTronGridSimulator,
  TRON_PAYER_ADDRESS,
  TRON_PAYER_PRIVATE_KEY,
  type TronGridSimulator,
} from '../../lib/local/simulators/trongrid-simulator';
import { parseTronAddress, tronHexToBase58 } from '../../lib/local/simulators/trongrid/encoding';

const GENESIS_TIME_MS = 1_700_000_000_000;
const TRANSFER_TOPIC = 'ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';
const USDT = 10n ** 6n;
const USDD = 10n ** 18n;
const TRX = 10n ** 6n;
const PAYER_KEY_HEX = TRON_PAYER_PRIVATE_KEY.slice(2);

type Json = Record<string, unknown>;
type Block = {
  blockID: string;
  block_header: { raw_data: { number?: number; parentHash: string; timestamp: number; witness_address: string; txTrieRoot: string; version: number }; witness_signature: string };
  transactions?: Tx[];
};
type Tx = { ret: { contractRet: string }[]; txID: string; raw_data_hex: string; signature: string[]; raw_data: { contract: { type: string; parameter: { value: Json } }[] } };
type TxInfo = {
  id: string;
  fee?: number;
  blockNumber: number;
  blockTimeStamp: number;
  contract_address?: string;
  receipt: { result?: string; net_usage?: number; energy_usage_total?: number };
  log?: { address: string; topics: string[]; data: string }[];
  result?: string;
  resMessage?: string;
};

async function post<T = Json>(base: string, path: string, body: unknown = {}, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const freshAddress = () => tronHexToBase58(`41${Wallet.createRandom().address.slice(2).toLowerCase()}`);
const hexToText = (hex: string) => Buffer.from(hex, 'hex').toString('utf8');

const simulators: TronGridSimulator[] = [];
async function start(options: Partial<Parameters<typeof startTronGridSimulator>[0]> = {}): Promise<TronGridSimulator> {
  const sim = await startTronGridSimulator({ blockIntervalMs: null, genesisTime: GENESIS_TIME_MS, log: () => {}, ...options });
  simulators.push(sim);
  return sim;
}
afterAll(async () => {
  await Promise.all(simulators.map((s) => s.close()));
});

describe('TronGrid simulator: the payer and the test tokens', () => {
  it('derives the payer from the anvil mnemonic at m/44\'/195\'/0\'/0/0 exactly as tronweb does', async () => {
    const sim = await start();
    const fromTronweb = TronWeb.fromMnemonic('test test test test test test test test test test test junk', "m/44'/195'/0'/0/0");
    expect(fromTronweb.privateKey).toBe(TRON_PAYER_PRIVATE_KEY);
    expect(fromTronweb.address).toBe(TRON_PAYER_ADDRESS);
    const info = sim.info();
    expect(info.payer.address).toBe(TRON_PAYER_ADDRESS);
    expect(sim.balanceOf(TRON_PAYER_ADDRESS)).toBeGreaterThanOrEqual(1_000_000n * TRX);
    expect(sim.balanceOf(TRON_PAYER_ADDRESS, 'USDT')).toBeGreaterThanOrEqual(1_000_000n * USDT);
    expect(sim.balanceOf(TRON_PAYER_ADDRESS, 'USDD')).toBeGreaterThanOrEqual(1_000_000n * USDD);
  });

  it('places the tokens at local base58 contracts, not the mainnet ones', () => {
    expect(SIMULATED_TOKENS.USDT.decimals).toBe(6);
    expect(SIMULATED_TOKENS.USDD.decimals).toBe(18);
    for (const token of Object.values(SIMULATED_TOKENS)) {
      expect(TronWeb.isAddress(token.address)).toBe(true);
      expect(TronWeb.address.toHex(token.address).toLowerCase()).toBe(token.hex);
    }
    expect(SIMULATED_TOKENS.USDT.address).not.toBe('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t');
    expect(SIMULATED_TOKENS.USDD.address).not.toBe('TXDk8mbtRbXeYuMNS83CfKPaYYT8XWv9Hz');
  });
});

describe('TronGrid simulator: block, transaction and info shapes', () => {
  let sim: TronGridSimulator;
  const to = freshAddress();
  let trxTx: string;
  let usdtTx: string;
  let usddTx: string;
  let block: Block;

  beforeAll(async () => {
    sim = await start();
    sim.mine(2);
    trxTx = sim.transfer({ to, amount: 1_500_000n }).txid;
    usdtTx = sim.transfer({ to, amount: 25n * USDT, token: 'USDT' }).txid;
    usddTx = sim.transfer({ to, amount: 3n * USDD, token: SIMULATED_TOKENS.USDD.address }).txid;
    sim.mine(1);
    block = await post<Block>(sim.url, '/wallet/getnowblock');
  });

  it('links blocks: blockID starts with the number, parentHash is the previous blockID, 3 s slots', async () => {
    const raw = block.block_header.raw_data;
    expect(raw.number).toBe(3);
    expect(block.blockID).toMatch(/^[0-9a-f]{64}$/);
    expect(block.blockID.slice(0, 16)).toBe((3).toString(16).padStart(16, '0'));
    const parent = await post<Block>(sim.url, '/wallet/getblockbynum', { num: 2 });
    expect(raw.parentHash).toBe(parent.blockID);
    expect(raw.timestamp).toBe(GENESIS_TIME_MS + 3 * 3_000);
    expect(raw.witness_address).toMatch(/^41[0-9a-f]{40}$/);
    expect(block.block_header.witness_signature).toMatch(/^[0-9a-f]{130}$/);
    // Empty blocks carry no `transactions` key.
    expect(parent.transactions).toBeUndefined();
  });

  it('lists a TRX transfer and two TRC-20 transfers with ret, txID = sha256(raw_data_hex) and 41-hex addresses', () => {
    const txs = block.transactions ?? [];
    expect(txs.map((t) => t.txID)).toEqual([trxTx, usdtTx, usddTx]);
    for (const t of txs) {
      expect(t.ret[0].contractRet).toBe('SUCCESS');
      expect(sha256(`0x${t.raw_data_hex}`).slice(2)).toBe(t.txID);
      expect(t.signature[0]).toMatch(/^[0-9a-f]{130}$/);
    }
    const [trx, usdt] = txs;
    expect(trx.raw_data.contract[0].type).toBe('TransferContract');
    expect(trx.raw_data.contract[0].parameter.value).toEqual({ amount: 1_500_000, owner_address: sim.info().payer.hex, to_address: parseTronAddress(to) });
    expect(usdt.raw_data.contract[0].type).toBe('TriggerSmartContract');
    const value = usdt.raw_data.contract[0].parameter.value;
    expect(value.contract_address).toBe(SIMULATED_TOKENS.USDT.hex);
    expect(value.owner_address).toBe(sim.info().payer.hex);
    expect(value.data).toBe(`a9059cbb${parseTronAddress(to)?.slice(2).padStart(64, '0')}${(25n * USDT).toString(16).padStart(64, '0')}`);
  });

  it('answers infos in block order, with Transfer logs (20-byte address, no 41) for TRC-20 only', async () => {
    const infos = await post<TxInfo[]>(sim.url, '/wallet/gettransactioninfobyblocknum', { num: 3 });
    expect(infos.map((i) => i.id)).toEqual([trxTx, usdtTx, usddTx]);
    const [trx, usdt, usdd] = infos;
    expect(trx).toMatchObject({ blockNumber: 3, blockTimeStamp: block.block_header.raw_data.timestamp, receipt: { net_usage: expect.any(Number) } });
    expect(trx.log).toBeUndefined();
    expect(trx.receipt.result).toBeUndefined();
    expect(usdt.receipt.result).toBe('SUCCESS');
    expect(usdt.fee).toBeGreaterThan(0);
    expect(usdt.contract_address).toBe(SIMULATED_TOKENS.USDT.hex);
    expect(usdt.log).toEqual([
      {
        address: SIMULATED_TOKENS.USDT.hex.slice(2),
        topics: [TRANSFER_TOPIC, sim.info().payer.hex.slice(2).padStart(64, '0'), parseTronAddress(to)?.slice(2).padStart(64, '0')],
        data: (25n * USDT).toString(16).padStart(64, '0'),
      },
    ]);
    expect(usdd.log?.[0].address).toBe(SIMULATED_TOKENS.USDD.hex.slice(2));
    expect(BigInt(`0x${usdd.log?.[0].data}`)).toBe(3n * USDD);
    expect(await post(sim.url, '/wallet/gettransactioninfobyid', { value: usdtTx })).toEqual(usdt);
    expect(await post(sim.url, '/wallet/gettransactioninfobyblocknum', { num: 2 })).toEqual([]);
  });

  it('answers transactions by id, and {} for unknown ids and blocks', async () => {
    const tx = await post<Tx>(sim.url, '/wallet/gettransactionbyid', { value: usdtTx });
    expect(tx).toEqual(block.transactions?.[1]);
    const unknown = 'ab'.repeat(32);
    expect(await post(sim.url, '/wallet/gettransactionbyid', { value: unknown })).toEqual({});
    expect(await post(sim.url, '/wallet/gettransactioninfobyid', { value: unknown })).toEqual({});
    expect(await post(sim.url, '/wallet/getblockbynum', { num: 4 })).toEqual({});
  });

  it('answers {} for a pending transaction until it is mined', async () => {
    const { txid } = sim.transfer({ to, amount: 1n, token: 'USDT' });
    expect(await post(sim.url, '/wallet/gettransactionbyid', { value: txid })).toEqual({});
    expect(await post(sim.url, '/wallet/gettransactioninfobyid', { value: txid })).toEqual({});
    sim.mine(1);
    expect((await post<TxInfo>(sim.url, '/wallet/gettransactioninfobyid', { value: txid })).blockNumber).toBe(4);
  });

  it('moves the balances', () => {
    expect(sim.balanceOf(to)).toBe(1_500_000n);
    expect(sim.balanceOf(to, 'USDT')).toBe(25n * USDT + 1n);
    expect(sim.balanceOf(to, 'USDD')).toBe(3n * USDD);
  });
});

describe('TronGrid simulator: solidification and block ranges', () => {
  let sim: TronGridSimulator;
  beforeAll(async () => {
    sim = await start();
    sim.mine(130);
  });

  it('answers the block solidifyDepth (19) below the head on /walletsolidity/getnowblock', async () => {
    const head = await post<Block>(sim.url, '/wallet/getnowblock');
    const solid = await post<Block>(sim.url, '/walletsolidity/getnowblock');
    expect(head.block_header.raw_data.number).toBe(130);
    expect(solid.block_header.raw_data.number).toBe(130 - DEFAULT_SOLIDIFY_DEPTH);
    expect(sim.info().solidified.blockID).toBe(solid.blockID);
  });

  it('follows a configured depth', async () => {
    const shallow = await start({ solidifyDepth: 3 });
    shallow.mine(10);
    expect((await post<Block>(shallow.url, '/walletsolidity/getnowblock')).block_header.raw_data.number).toBe(7);
  });

  it('returns startNum <= n < endNum from getblockbylimitnext, at most 100, {} when none', async () => {
    const range = await post<{ block: Block[] }>(sim.url, '/wallet/getblockbylimitnext', { startNum: 10, endNum: 15 });
    expect(range.block.map((b) => b.block_header.raw_data.number)).toEqual([10, 11, 12, 13, 14]);
    const hundred = await post<{ block: Block[] }>(sim.url, '/wallet/getblockbylimitnext', { startNum: 1, endNum: 101 });
    expect(hundred.block).toHaveLength(100);
    expect(await post(sim.url, '/wallet/getblockbylimitnext', { startNum: 1, endNum: 102 })).toEqual({});
    expect(await post(sim.url, '/wallet/getblockbylimitnext', { startNum: 5, endNum: 5 })).toEqual({});
    expect(await post(sim.url, '/wallet/getblockbylimitnext', { startNum: 200, endNum: 210 })).toEqual({});
    const tail = await post<{ block: Block[] }>(sim.url, '/wallet/getblockbylimitnext', { startNum: 128, endNum: 140 });
    expect(tail.block.map((b) => b.block_header.raw_data.number)).toEqual([128, 129, 130]);
  });

  it('answers java-tron\'s {"Error"} with status 200 for a malformed body', async () => {
    const res = await fetch(`${sim.url}/wallet/getblockbynum`, { method: 'POST', body: '{"num": ' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { Error: string }).Error).toMatch(/ParseException/);
  });
});

describe('TronGrid simulator: failed TRC-20 transfers', () => {
  let sim: TronGridSimulator;
  beforeAll(async () => {
    sim = await start();
  });

  it('reverts a transfer beyond the balance: REVERT, FAILED, no logs, a fee paid, no tokens moved', async () => {
    const sender = Wallet.createRandom();
    const senderAddress = tronHexToBase58(`41${sender.address.slice(2).toLowerCase()}`);
    sim.fund(senderAddress, 100n * TRX);
    sim.fund(senderAddress, 5n * USDT, 'USDT');
    const to = freshAddress();
    const { txid } = sim.transfer({ from: sender.privateKey, to, amount: 6n * USDT, token: 'USDT', mine: true });
    const tx = await post<Tx>(sim.url, '/wallet/gettransactionbyid', { value: txid });
    expect(tx.ret[0].contractRet).toBe('REVERT');
    const info = await post<TxInfo>(sim.url, '/wallet/gettransactioninfobyid', { value: txid });
    expect(info.result).toBe('FAILED');
    expect(info.receipt.result).toBe('REVERT');
    expect(info.log).toBeUndefined();
    expect(hexToText(info.resMessage ?? '')).toMatch(/REVERT/);
    expect(info.fee).toBeGreaterThan(0);
    expect(sim.balanceOf(senderAddress, 'USDT')).toBe(5n * USDT);
    expect(sim.balanceOf(to, 'USDT')).toBe(0n);
    expect(sim.balanceOf(senderAddress)).toBe(100n * TRX - BigInt(info.fee ?? 0));
  });

  it('fails a transfer on request with OUT_OF_ENERGY, burning the fee limit', async () => {
    const to = freshAddress();
    const { txid } = sim.transfer({ to, amount: 1n * USDT, token: 'USDT', fail: 'OUT_OF_ENERGY', mine: true });
    const tx = await post<Tx>(sim.url, '/wallet/gettransactionbyid', { value: txid });
    expect(tx.ret[0].contractRet).toBe('OUT_OF_ENERGY');
    const info = await post<TxInfo>(sim.url, '/wallet/gettransactioninfobyid', { value: txid });
    expect(info).toMatchObject({ result: 'FAILED', receipt: { result: 'OUT_OF_ENERGY' } });
    expect(info.fee).toBeGreaterThanOrEqual(100_000_000);
    expect(sim.balanceOf(to, 'USDT')).toBe(0n);
  });

  it('fails a transfer on request with REVERT although the balance suffices', async () => {
    const { txid } = sim.transfer({ to: freshAddress(), amount: 1n, token: 'USDD', fail: 'REVERT', mine: true });
    expect((await post<TxInfo>(sim.url, '/wallet/gettransactioninfobyid', { value: txid })).receipt.result).toBe('REVERT');
  });
});

describe('TronGrid simulator: forks before solidification', () => {
  const blockIds = async (sim: TronGridSimulator, from: number, to: number) => {
    const { block } = await post<{ block: Block[] }>(sim.url, '/wallet/getblockbylimitnext', { startNum: from, endNum: to + 1 });
    return block.map((b) => b.blockID);
  };

  it('replaces the last blocks with new ids and re-includes their transactions under the same txID', async () => {
    const sim = await start();
    sim.mine(25);
    const to = freshAddress();
    const { txid } = sim.transfer({ to, amount: 7n * USDT, token: 'USDT', mine: true }); // block 26
    sim.mine(2); // head 28
    const before = await blockIds(sim, 20, 28);
    const result = sim.fork({ depth: 3, reinclude: true });
    expect(result).toMatchObject({ head: 28, reincluded: [txid], dropped: [] });
    const after = await blockIds(sim, 20, 28);
    expect(after.slice(0, 6)).toEqual(before.slice(0, 6));
    for (const i of [6, 7, 8]) expect(after[i]).not.toBe(before[i]);
    expect(result.orphaned).toEqual(before.slice(6));
    const info = await post<TxInfo>(sim.url, '/wallet/gettransactioninfobyid', { value: txid });
    expect(info.id).toBe(txid);
    expect(info.blockNumber).toBe(27); // moved one block later
    const newBlock = await post<Block>(sim.url, '/wallet/getblockbynum', { num: 27 });
    expect(newBlock.transactions?.map((t) => t.txID)).toEqual([txid]);
    expect(newBlock.block_header.raw_data.parentHash).toBe(after[7 - 1]);
    expect((await post<TxInfo[]>(sim.url, '/wallet/gettransactioninfobyblocknum', { num: 26 })).length).toBe(0);
    expect(sim.balanceOf(to, 'USDT')).toBe(7n * USDT);
  });

  it('drops the orphaned transactions when asked, and the balances follow the canonical chain', async () => {
    const sim = await start();
    sim.mine(25);
    const to = freshAddress();
    const { txid } = sim.transfer({ to, amount: 2n * TRX, mine: true });
    const payerBefore = sim.balanceOf(TRON_PAYER_ADDRESS);
    const before = await blockIds(sim, 26, 26);
    const result = sim.fork({ depth: 1, reinclude: false });
    expect(result.dropped).toEqual([txid]);
    expect(await blockIds(sim, 26, 26)).not.toEqual(before);
    expect(await post(sim.url, '/wallet/gettransactionbyid', { value: txid })).toEqual({});
    expect(await post(sim.url, '/wallet/gettransactioninfobyid', { value: txid })).toEqual({});
    expect(sim.balanceOf(to)).toBe(0n);
    expect(sim.balanceOf(TRON_PAYER_ADDRESS)).toBe(payerBefore + 2n * TRX);
  });

  it('refuses a fork that would replace a solidified block', async () => {
    const sim = await start({ solidifyDepth: 5 });
    sim.mine(10);
    expect(() => sim.fork({ depth: 6, reinclude: true })).toThrow(/solidified/);
    expect(() => sim.fork({ depth: 5, reinclude: true })).not.toThrow();
  });
});

describe('TronGrid simulator: transactions signed offline with tronweb', () => {
  let sim: TronGridSimulator;
  let tronWeb: TronWeb;
  beforeAll(async () => {
    sim = await start();
    sim.mine(3);
    tronWeb = new TronWeb({ fullHost: sim.url });
  });

  it('accepts a TRX transfer built by tronweb (reference block from /wallet/getblock), mines it under tronweb\'s txID', async () => {
    const to = freshAddress();
    const unsigned = await tronWeb.transactionBuilder.sendTrx(to, 3_000_000, TRON_PAYER_ADDRESS);
    const signed = await tronWeb.trx.sign(unsigned, PAYER_KEY_HEX);
    const answer = await post(sim.url, '/wallet/broadcasttransaction', signed);
    expect(answer).toEqual({ result: true, txid: signed.txID });
    sim.mine(1);
    const tx = await post<Tx>(sim.url, '/wallet/gettransactionbyid', { value: signed.txID });
    expect(tx.raw_data_hex).toBe(signed.raw_data_hex);
    expect(tx.ret[0].contractRet).toBe('SUCCESS');
    expect(sim.balanceOf(to)).toBe(3_000_000n);
    // The same bytes again: java-tron's duplicate answer.
    const again = await post<{ code: string; message: string }>(sim.url, '/wallet/broadcasttransaction', signed);
    expect(again.code).toBe('DUP_TRANSACTION_ERROR');
    expect(hexToText(again.message)).toBe('dup transaction');
  });

  it('accepts a TRX transfer built against an explicit block header', async () => {
    const head = await post<Block>(sim.url, '/wallet/getnowblock');
    const n = head.block_header.raw_data.number ?? 0;
    const blockHeader = {
      ref_block_bytes: (n & 0xffff).toString(16).padStart(4, '0'),
      ref_block_hash: head.blockID.slice(16, 32),
      expiration: head.block_header.raw_data.timestamp + 60_000,
      timestamp: head.block_header.raw_data.timestamp,
    };
    const unsigned = await tronWeb.transactionBuilder.sendTrx(freshAddress(), 1_000_000, TRON_PAYER_ADDRESS, { blockHeader });
    const signed = await tronWeb.trx.sign(unsigned, PAYER_KEY_HEX);
    expect(await post(sim.url, '/wallet/broadcasttransaction', signed)).toEqual({ result: true, txid: signed.txID });
  });

  it('accepts a TRC-20 transfer built locally by tronweb (txLocal) and emits its Transfer log', async () => {
    const to = freshAddress();
    const built = await tronWeb.transactionBuilder.triggerSmartContract(
      SIMULATED_TOKENS.USDT.address,
      'transfer(address,uint256)',
      { feeLimit: 100_000_000, txLocal: true },
      [
        { type: 'address', value: to },
        { type: 'uint256', value: (4n * USDT).toString() },
      ],
      TRON_PAYER_ADDRESS,
    );
    const signed = await tronWeb.trx.sign(built.transaction, PAYER_KEY_HEX);
    expect(await post(sim.url, '/wallet/broadcasttransaction', signed)).toEqual({ result: true, txid: signed.txID });
    sim.mine(1);
    const info = await post<TxInfo>(sim.url, '/wallet/gettransactioninfobyid', { value: signed.txID });
    expect(info.receipt.result).toBe('SUCCESS');
    expect(BigInt(`0x${info.log?.[0].data}`)).toBe(4n * USDT);
    expect(sim.balanceOf(to, 'USDT')).toBe(4n * USDT);
  });

  it('refuses a transaction signed by a key other than the owner with SIGERROR', async () => {
    const unsigned = await tronWeb.transactionBuilder.sendTrx(freshAddress(), 1_000_000, TRON_PAYER_ADDRESS);
    const other = Wallet.createRandom();
    // tronweb refuses to sign for another owner; sign the same txID with the other key as an attacker would.
    const forged = { ...unsigned, signature: [other.signingKey.sign(`0x${unsigned.txID}`).serialized.slice(2)] };
    const answer = await post<{ code: string; txid: string; message: string }>(sim.url, '/wallet/broadcasttransaction', forged);
    expect(answer.code).toBe('SIGERROR');
    expect(answer.txid).toBe(unsigned.txID);
    expect(hexToText(answer.message)).toMatch(/^validate signature error/);
  });

  it('refuses a transaction whose raw_data was changed after signing', async () => {
    const unsigned = await tronWeb.transactionBuilder.sendTrx(freshAddress(), 1_000_000, TRON_PAYER_ADDRESS);
    const signed = await tronWeb.trx.sign(unsigned, PAYER_KEY_HEX);
    const tampered = structuredClone(signed);
    (tampered.raw_data.contract[0].parameter.value as { amount: number }).amount = 900_000_000;
    const answer = await post<{ code: string }>(sim.url, '/wallet/broadcasttransaction', tampered);
    expect(answer.code).toBe('SIGERROR');
  });

  it('refuses an unsigned transaction and one with an unknown reference block', async () => {
    const unsigned = await tronWeb.transactionBuilder.sendTrx(freshAddress(), 1_000_000, TRON_PAYER_ADDRESS);
    expect((await post<{ code: string }>(sim.url, '/wallet/broadcasttransaction', unsigned)).code).toBe('SIGERROR');
    const stale = await tronWeb.transactionBuilder.sendTrx(freshAddress(), 1_000_000, TRON_PAYER_ADDRESS, {
      blockHeader: { ref_block_bytes: 'ffff', ref_block_hash: '0123456789abcdef', expiration: GENESIS_TIME_MS + 10 ** 9, timestamp: GENESIS_TIME_MS },
    });
    const signed = await tronWeb.trx.sign(stale, PAYER_KEY_HEX);
    const answer = await post<{ code: string; message: string }>(sim.url, '/wallet/broadcasttransaction', signed);
    expect(answer.code).toBe('TAPOS_ERROR');
    expect(hexToText(answer.message)).toBe('Tapos check error');
  });
});

describe('TronGrid simulator: automatic mining', () => {
  it('mines a block every blockIntervalMs, including the pending transactions', async () => {
    const sim = await start({ blockIntervalMs: 40 });
    const { txid } = sim.transfer({ to: freshAddress(), amount: 1n, token: 'USDT' });
    let info: Partial<TxInfo> = {};
    // Bounded wait: 50 polls of 20 ms, far beyond the 40 ms block interval.
    for (let attempt = 0; attempt < 50 && info.blockNumber === undefined; attempt++) {
      await new Promise((r) => setTimeout(r, 20));
      info = await post<TxInfo>(sim.url, '/wallet/gettransactioninfobyid', { value: txid });
    }
    expect(info.blockNumber).toBeGreaterThanOrEqual(1);
    expect(sim.info().blockIntervalMs).toBe(40);
  });
});

describe('TronGrid simulator: API key and faults', () => {
  it('answers 401 without the configured TRON-PRO-API-KEY, 200 with it', async () => {
    const sim = await start({ requireApiKey: 'test-key' });
    const without = await fetch(`${sim.url}/wallet/getnowblock`, { method: 'POST', body: '{}' });
    expect(without.status).toBe(401);
    expect(await without.json()).toEqual({ Error: 'ApiKey not exists' });
    const withKey = await fetch(`${sim.url}/wallet/getnowblock`, { method: 'POST', body: '{}', headers: { 'TRON-PRO-API-KEY': 'test-key' } });
    expect(withKey.status).toBe(200);
    // The control API needs no key.
    expect((await fetch(`${sim.url}/_simulator/info`)).status).toBe(200);
  });

  it('answers about 30 % of requests with 429 (JSON) or 503 (text), seeded, never the control API', async () => {
    const sim = await start();
    sim.setFaults({ rate: 0.3, seed: 42 });
    const statuses: number[] = [];
    for (let i = 0; i < 400; i++) {
      const res = await fetch(`${sim.url}/wallet/getnowblock`, { method: 'POST', body: '{}' });
      statuses.push(res.status);
      const text = await res.text();
      if (res.status === 429) expect(JSON.parse(text).Error).toMatch(/rate exceeded/);
      if (res.status === 503) expect(text).toMatch(/503 Service Temporarily Unavailable/);
      if (res.status === 200) expect(JSON.parse(text).blockID).toMatch(/^[0-9a-f]{64}$/);
    }
    const faulted = statuses.filter((s) => s !== 200).length / statuses.length;
    expect(faulted).toBeGreaterThan(0.22);
    expect(faulted).toBeLessThan(0.38);
    expect(statuses).toContain(429);
    expect(statuses).toContain(503);
    expect(sim.requests['/wallet/getnowblock']).toBe(400);
    for (let i = 0; i < 30; i++) expect((await fetch(`${sim.url}/_simulator/info`)).status).toBe(200);
  });
});

describe('TronGrid simulator: the control API over HTTP', () => {
  it('transfers, mines, funds, forks and sets faults', async () => {
    const sim = await start();
    const ctl = (path: string, body: unknown) => post(sim.url, `/_simulator/${path}`, body);
    const info = (await (await fetch(`${sim.url}/_simulator/info`)).json()) as { payer: { address: string }; tokens: { USDT: { address: string } }; head: { number: number } };
    expect(info.payer.address).toBe(TRON_PAYER_ADDRESS);
    expect(info.tokens.USDT.address).toBe(SIMULATED_TOKENS.USDT.address);
    expect(await ctl('mine', { blocks: 25 })).toEqual({ head: 25 });
    const to = freshAddress();
    const { txid } = (await ctl('transfer', { to, amount: '1234567', token: 'USDT', mine: true })) as { txid: string };
    expect(txid).toMatch(/^[0-9a-f]{64}$/);
    expect((await post<TxInfo>(sim.url, '/wallet/gettransactioninfobyid', { value: txid })).blockNumber).toBe(26);
    expect(await ctl('fund', { address: to, amount: '5000000' })).toEqual({ balance: '5000000' });
    const forked = (await ctl('fork', { depth: 2, reinclude: true })) as { reincluded: string[] };
    expect(forked.reincluded).toEqual([txid]);
    const balance = (await (await fetch(`${sim.url}/_simulator/balance?address=${to}&token=USDT`)).json()) as { balance: string };
    expect(balance.balance).toBe('1234567');
    expect(await ctl('faults', { rate: 0 })).toEqual({ rate: 0, statuses: [429, 503] });
    const refused = await fetch(`${sim.url}/_simulator/transfer`, { method: 'POST', body: JSON.stringify({ to: 'nope', amount: '1' }) });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toMatch(/not a Tron address/);
  });
});
