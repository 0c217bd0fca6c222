/**
 * Attacks on Tron crediting, on real parts: the TronGrid simulator (with a look-alike TRC-20 any
 * payer can deploy), a lying proxy in front of it standing for one bad node of TronGrid's pool,
 * DynamoDB Local, local SQS, the real Tron reader, watcher and crediting consumer. Each attack
 * tries to lose, fake, double-count or mis-value a credit; each test states what must hold.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTronGridSimulator, type TronGridSimulator } from '../../lib/local/simulators/trongrid-simulator';
import { tronAddressToHex } from '../../shared/adapters/chains/tron/address';
import { parseObservation } from '../../shared/api/messages/observation';
import { handleObservation } from '../../shared/app/crediting';
import { EXPIRY_LIMITS, expireDueInvoices } from '../../shared/app/invoices';
import { selectCurrency } from '../../shared/app/invoice-payments';
import { invoiceUuid } from '../../shared/domain/ids';
import type { Invoice } from '../../shared/domain/invoice/invoice';
import type { Project } from '../../shared/domain/project';
import type { Observation } from '../../shared/domain/transfers';
import { call, newProject } from '../support/gateway';
import { TEST_SOLIDIFY_DEPTH, type TronHarness, useTronHarness } from '../support/payments-harness';
import { type LyingProxy, startLyingProxy } from '../support/trongrid-lying-proxy';

const USDT = (n: number) => BigInt(Math.round(n * 1e6));
const TRX = (n: number) => BigInt(Math.round(n * 1e6));
const addressOf = (i: Invoice) => i.selection?.address ?? '';

/** Flips the case of the first letter that has another case and still fits the base58 alphabet. */
function caseVariant(address: string): string {
  for (let i = 1; i < address.length; i += 1) {
    const c = address[i];
    const other = c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase();
    if (other !== c && /[1-9A-HJ-NP-Za-km-z]/.test(other)) return address.slice(0, i) + other + address.slice(i + 1);
  }
  throw new Error(`no case variant of ${address}`);
}

/** What a crediting run leaves for an invoice: its payments, status, and flags. */
const stateOf = async (h: TronHarness, id: Invoice['id']) => {
  const i = await h.invoice(id);
  return { status: i.status, payments: i.payments, amountPaid: i.amountPaid, facts: i.facts, version: i.version };
};

describe('a hostile payer on Tron', () => {
  let h: TronHarness;
  let project: Project;
  let apiKey: string;
  beforeAll(async () => {
    h = await useTronHarness();
    ({ project, apiKey } = await newProject({ partialTolerance: 'none' }));
    await h.settle();
  }, 60_000);
  afterAll(async () => h?.stop());

  it('a look-alike TRC-20 (not in the registry) sending Transfer logs to a deposit address credits nothing, records nothing; attach-tx refuses it', async () => {
    const fake = h.sim.deployToken('USDT look-alike', USDT(1_000_000));
    const invoice = await h.invoiceFor(project, 'USDT_TRC20', 10);
    const before = await h.balance(project.shopId, 'USDT_TRC20');
    const { txid: txHash } = h.sim.transfer({ to: addressOf(invoice), amount: USDT(10), token: fake, mine: true });
    h.solidify();
    await h.settle();
    // The chain holds it: a successful TRC-20 transfer of another contract.
    expect(await h.reader.transaction(txHash)).toMatchObject({ succeeded: true, tokenTransfers: [{ contract: fake, to: addressOf(invoice), amount: USDT(10) }] });
    expect(await stateOf(h, invoice.id)).toMatchObject({ status: 'created', payments: [], amountPaid: 0n });
    expect(await h.deps.payments.transfer(`tron#${txHash}#0`)).toBeNull();
    expect(await h.balance(project.shopId, 'USDT_TRC20')).toEqual(before);
    const attached = await call('api.invoice.attach_tx', { apiKey, pathParameters: { invoiceId: invoiceUuid(invoice.id) }, body: { tx_hash: txHash } });
    expect(attached.status).toBe(400);
    expect(await h.deps.payments.transfer(`tron#${txHash}#0`)).toBeNull();
  });

  it('a look-alike token transfer and a real one in the same block: only the real one is credited', async () => {
    const fake = h.sim.deployToken('USDT look-alike 2', USDT(1_000_000));
    const invoice = await h.invoiceFor(project, 'USDT_TRC20', 10);
    h.sim.transfer({ to: addressOf(invoice), amount: USDT(10), token: fake });
    const real = h.pay(addressOf(invoice), USDT(4), 'USDT', { mine: false });
    h.mine(1);
    h.solidify();
    await h.settle();
    const now = await h.invoice(invoice.id);
    expect(now).toMatchObject({ status: 'partial', amountPaid: USDT(4) });
    expect(now.payments.map((p) => p.key)).toEqual([`tron#${real.txHash}#0`]);
  });

  it('a claim naming a case variant of a deposit address (base58 is case-sensitive) credits neither address', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_TRC20', 10);
    const variant = caseVariant(addressOf(invoice));
    expect(await h.deps.payments.addressOwner('tron', variant)).toBeNull();
    expect(await h.deps.payments.addressOwner('tron', addressOf(invoice))).toEqual({ kind: 'invoice', invoiceId: invoice.id });
    // The same 20 bytes as an EVM address, or as Tron hex: other keys, other chains.
    const hex = tronAddressToHex(addressOf(invoice));
    expect(await h.deps.payments.addressOwner('ethereum', `0x${hex.slice(2)}`)).toBeNull();
    expect(await h.deps.payments.addressOwner('bsc', `0x${hex.slice(2)}`)).toBeNull();
    expect(h.watchSet.matcher(Date.now())(variant)).toBe(false);
    expect(h.watchSet.matcher(Date.now())(hex)).toBe(false);

    // A real payment to the invoice, and a forged report of it to the variant address.
    const { txHash } = h.pay(addressOf(invoice), USDT(10));
    const tx = await h.reader.transaction(txHash);
    if (!tx) throw new Error('no tx');
    const forged = {
      kind: 'transfer.seen',
      source: 'attach_tx',
      transfer: { chain: 'tron', txHash, logIndex: 0, blockNumber: tx.blockNumber, blockHash: tx.blockHash, blockTime: tx.blockTime, contract: h.tokens.USDT_TRC20, from: tx.from, to: variant, amount: String(USDT(10)) },
    };
    await h.settle(); // the watcher's pass first, so the block is vouched for
    await handleObservation(h.deps, parseObservation(forged));
    h.solidify();
    await h.settle();
    await handleObservation(h.deps, parseObservation(forged));
    const now = await h.invoice(invoice.id);
    expect(now).toMatchObject({ status: 'paid', amountPaid: USDT(10) });
    expect(now.payments).toHaveLength(1);
    expect(now.payments[0].transfer.to).toBe(addressOf(invoice));
  });
});

describe('forged observations on the Tron chain', () => {
  let h: TronHarness;
  let project: Project;
  beforeAll(async () => {
    h = await useTronHarness();
    ({ project } = await newProject({ partialTolerance: 'none' }));
    await h.settle();
  }, 60_000);
  afterAll(async () => h?.stop());

  it('each is refused at the schema or credits nothing and writes nothing', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_TRC20', 10);
    const { txHash } = h.pay(addressOf(invoice), USDT(10));
    await h.settle();
    const tx = await h.reader.transaction(txHash);
    if (!tx) throw new Error('no tx');
    const pending = await stateOf(h, invoice.id);
    expect(pending.payments).toMatchObject([{ state: 'pending', key: `tron#${txHash}#0` }]);
    const seen = { chain: 'tron', txHash, logIndex: 0, blockNumber: tx.blockNumber, blockHash: tx.blockHash, blockTime: tx.blockTime, contract: h.tokens.USDT_TRC20, from: tx.from, to: addressOf(invoice), amount: String(USDT(10)) };
    const evmHash = `0x${'ab'.repeat(32)}`;

    const refusedAtSchema: unknown[] = [
      // An EVM-form hash on tron, a Tron txid on ethereum, an upper-case txid.
      { kind: 'transfer.seen', source: 'watcher', transfer: { ...seen, txHash: `0x${txHash}` } },
      { kind: 'transfer.seen', source: 'watcher', transfer: { ...seen, chain: 'ethereum' } },
      { kind: 'transfer.seen', source: 'watcher', transfer: { ...seen, txHash: txHash.toUpperCase() } },
      { kind: 'transfer.seen', source: 'watcher', transfer: { ...seen, blockHash: `0x${tx.blockHash}` } },
      // Tron hex or 0x addresses where base58 belongs.
      { kind: 'transfer.seen', source: 'watcher', transfer: { ...seen, to: tronAddressToHex(addressOf(invoice)) } },
      { kind: 'transfer.seen', source: 'watcher', transfer: { ...seen, to: `0x${tronAddressToHex(addressOf(invoice)).slice(2)}` } },
      { kind: 'transfer.seen', source: 'watcher', transfer: { ...seen, amount: (2n ** 256n).toString().padStart(79, '1') } },
      { kind: 'transfer.confirmed', chain: 'tron', key: `tron#${txHash.toUpperCase()}#0`, blockNumber: tx.blockNumber, blockHash: tx.blockHash, confirmations: 99 },
      { kind: 'transfer.confirmed', chain: 'tron', key: `tron#0x${txHash}#0`, blockNumber: tx.blockNumber, blockHash: tx.blockHash, confirmations: 99 },
      { kind: 'transfer.confirmed', chain: 'tron', key: `tron#${txHash}#0`, blockNumber: tx.blockNumber, blockHash: evmHash, confirmations: 99 },
      { kind: 'transfer.recheck', chain: 'tron', key: `tron#${evmHash}#0` },
      { kind: 'blocks.orphaned', chain: 'tron', blocks: [{ number: tx.blockNumber, hash: `0x${tx.blockHash}` }] },
      { kind: 'blocks.orphaned', chain: 'ethereum', blocks: [{ number: tx.blockNumber, hash: tx.blockHash }] },
    ];
    for (const body of refusedAtSchema) expect(() => parseObservation(body), JSON.stringify(body)).toThrow();

    const creditNothing: unknown[] = [
      // Keys of another chain under 'tron': crediting must not ask Tron about them.
      { kind: 'transfer.confirmed', chain: 'tron', key: `ethereum#${evmHash}#0`, blockNumber: tx.blockNumber, blockHash: tx.blockHash, confirmations: 99 },
      { kind: 'transfer.recheck', chain: 'tron', key: `ethereum#0x${txHash}#0` },
      // An EVM hash re-used under a tron key: not on Tron.
      { kind: 'transfer.recheck', chain: 'tron', key: `tron#${evmHash.slice(2)}#0` },
      { kind: 'transfer.confirmed', chain: 'tron', key: `tron#${evmHash.slice(2)}#native`, blockNumber: tx.blockNumber, blockHash: tx.blockHash, confirmations: 99 },
      // The real transfer, claimed as confirmed long before it is solidified.
      { kind: 'transfer.confirmed', chain: 'tron', key: `tron#${txHash}#0`, blockNumber: tx.blockNumber, blockHash: tx.blockHash, confirmations: 999 },
      // Its real TRX position (there is none) and a log index past its logs.
      { kind: 'transfer.recheck', chain: 'tron', key: `tron#${txHash}#native` },
      { kind: 'transfer.recheck', chain: 'tron', key: `tron#${txHash}#1` },
      // The block holding it, claimed orphaned while canonical.
      { kind: 'blocks.orphaned', chain: 'tron', blocks: [{ number: tx.blockNumber, hash: tx.blockHash }] },
      // A bigger amount or another token for the same key.
      { kind: 'transfer.seen', source: 'attach_tx', transfer: { ...seen, amount: String(USDT(1_000)) } },
      { kind: 'transfer.seen', source: 'watcher', transfer: { ...seen, contract: h.tokens.USDD_TRC20 } },
      { kind: 'transfer.seen', source: 'watcher', transfer: { ...seen, logIndex: null, contract: null } },
    ];
    for (const body of creditNothing) {
      const o = parseObservation(body);
      await handleObservation(h.deps, o).catch(() => {}); // a retry is fine; a write is not
    }
    expect(await stateOf(h, invoice.id)).toEqual(pending);
    for (const key of [`tron#${evmHash.slice(2)}#0`, `tron#${evmHash.slice(2)}#native`, `tron#${txHash}#native`, `tron#${txHash}#1`]) expect(await h.deps.payments.transfer(key)).toBeNull();
    expect(await h.deps.payments.strays(invoice.id)).toMatchObject({ count: 0 });

    h.solidify();
    await h.settle();
    expect(await h.invoice(invoice.id)).toMatchObject({ status: 'paid', amountPaid: USDT(10) });
  });
});

describe('a lying TronGrid node', () => {
  let sim: TronGridSimulator;
  let proxy: LyingProxy;
  let h: TronHarness;
  let project: Project;
  let apiKey: string;
  beforeAll(async () => {
    sim = await startTronGridSimulator({ blockIntervalMs: null, solidifyDepth: TEST_SOLIDIFY_DEPTH, log: () => {} });
    proxy = await startLyingProxy(sim.url);
    h = await useTronHarness({ simulator: sim, settings: { rpcUrls: [proxy.url] } });
    ({ project, apiKey } = await newProject({ partialTolerance: 'none' }));
    await h.settle();
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
    await proxy?.stop();
    await sim?.close();
  });

  type RawBlock = { blockID: string; block_header: { raw_data: { number?: number; txTrieRoot?: string } }; transactions?: unknown[] };
  const numberOf = (b: RawBlock) => b.block_header.raw_data.number ?? 0;
  const cursor = async () => (await h.chainState.get('tron'))?.cursor ?? -1;
  /** Watcher passes while the lie lasts: each may fail; none may pass `block` without its transfer. */
  async function passesWhileLying(rounds = 3) {
    for (let i = 0; i < rounds; i += 1) await h.pass().catch(() => null);
  }
  /** Observations whose handling failed: SQS delivers them again, so the test does too, once the lie is over. */
  let failed: Observation[] = [];
  const handleOrKeep = (o: Observation) => handleObservation(h.deps, o).catch(() => void failed.push(o));
  async function redeliverFailed() {
    const again = failed;
    failed = [];
    for (const o of again) await handleOrKeep(o);
    expect(failed).toEqual([]);
  }

  it('a block listed without its transactions (txTrieRoot says it has some) is not passed: the payment in it is credited once the node answers it whole', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_TRC20', 10);
    const { txHash } = h.pay(addressOf(invoice), USDT(10));
    const at = sim.info().head.number;
    proxy.lie = (path, _req, answer) => {
      if (path !== '/wallet/getblockbylimitnext' && path !== '/wallet/getblockbynum') return undefined;
      const strip = (b: RawBlock) => (numberOf(b) === at ? { blockID: b.blockID, block_header: b.block_header } : b);
      const a = answer as { block?: RawBlock[] } & RawBlock;
      return a.block ? { block: a.block.map(strip) } : a.blockID ? strip(a) : undefined;
    };
    await passesWhileLying();
    expect(await cursor()).toBeLessThan(at);
    proxy.lie = null;
    h.solidify();
    await h.settle();
    expect(await h.invoice(invoice.id)).toMatchObject({ status: 'paid', amountPaid: USDT(10), payments: [{ key: `tron#${txHash}#0`, state: 'credited' }] });
  });

  it('[] as the infos of a block that holds a contract call (a node that has not got it yet) stops the scan there', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_TRC20', 10);
    h.pay(addressOf(invoice), USDT(10));
    const at = sim.info().head.number;
    proxy.lie = (path, req) => (path === '/wallet/gettransactioninfobyblocknum' && Number(req.num) === at ? [] : undefined);
    await passesWhileLying();
    expect(await cursor()).toBeLessThan(at);
    proxy.lie = null;
    h.solidify();
    await h.settle();
    expect(await h.invoice(invoice.id)).toMatchObject({ status: 'paid', amountPaid: USDT(10) });
  });

  it('getblockbylimitnext out of order is read in order; with a block missing, the scan stops before it', async () => {
    const invoice = await h.invoiceFor(project, 'TRX', 10);
    h.mine(2);
    h.pay(addressOf(invoice), TRX(40), 'TRX');
    const at = sim.info().head.number;
    h.mine(2);
    proxy.lie = (path, _req, answer) => {
      const blocks = (answer as { block?: RawBlock[] }).block;
      return path === '/wallet/getblockbylimitnext' && blocks ? { block: blocks.filter((b) => numberOf(b) !== at).reverse() } : undefined;
    };
    await passesWhileLying();
    expect(await cursor()).toBeLessThan(at);
    proxy.lie = (path, _req, answer) => {
      const blocks = (answer as { block?: RawBlock[] }).block;
      return path === '/wallet/getblockbylimitnext' && blocks ? { block: [...blocks].reverse() } : undefined;
    };
    h.solidify();
    await h.settle();
    proxy.lie = null;
    expect(await h.invoice(invoice.id)).toMatchObject({ status: 'paid', amountPaid: TRX(40) });
  });

  it('a head that goes backwards (a lagging node) neither skips nor withdraws anything', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_TRC20', 10);
    h.pay(addressOf(invoice), USDT(10));
    await h.settle();
    expect((await h.invoice(invoice.id)).payments).toMatchObject([{ state: 'pending' }]);
    const lagging = sim.info().head.number - 3;
    const old = (await (await fetch(`${sim.url}/wallet/getblockbynum`, { method: 'POST', body: JSON.stringify({ num: lagging }) })).json()) as RawBlock;
    // The lagging node knows nothing past its head.
    proxy.lie = (path, req) => {
      if (path === '/wallet/getnowblock') return old;
      if ((path === '/wallet/getblockbynum' || path === '/wallet/gettransactioninfobyblocknum') && Number(req.num) > lagging) return path === '/wallet/getblockbynum' ? {} : [];
      if (path === '/wallet/gettransactionbyid' || path === '/wallet/gettransactioninfobyid') return {};
      return undefined;
    };
    h.solidify();
    for (let i = 0; i < 3; i += 1) {
      await h.pass().catch(() => null);
      await h.drain(undefined, handleOrKeep);
    }
    expect((await h.invoice(invoice.id)).payments).toMatchObject([{ state: 'pending' }]);
    proxy.lie = null;
    await redeliverFailed();
    await h.settle();
    expect(await h.invoice(invoice.id)).toMatchObject({ status: 'paid', amountPaid: USDT(10), payments: [{ state: 'credited', credits: 1 }] });
  });

  it('a transaction info that names another block than the one holding the transaction is no answer: nothing credited while it lasts', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_TRC20', 10);
    const { txHash } = h.pay(addressOf(invoice), USDT(10));
    proxy.lie = (path, _req, answer) => {
      const info = answer as { id?: string; blockNumber?: number };
      return path === '/wallet/gettransactioninfobyid' && info.id === txHash ? { ...info, blockNumber: (info.blockNumber ?? 0) + 1 } : undefined;
    };
    h.solidify();
    for (let i = 0; i < 3; i += 1) {
      await h.pass().catch(() => null);
      await h.drain(undefined, handleOrKeep);
    }
    expect((await h.invoice(invoice.id)).status).toBe('created');
    const attached = await call('api.invoice.attach_tx', { apiKey, pathParameters: { invoiceId: invoiceUuid(invoice.id) }, body: { tx_hash: txHash } });
    expect(attached.status).not.toBe(202);
    proxy.lie = null;
    await redeliverFailed();
    await h.settle();
    expect(await h.invoice(invoice.id)).toMatchObject({ status: 'paid', amountPaid: USDT(10) });
  });

  it('a node on another fork that says SUCCESS for a transaction the block holds as REVERT: attach-tx and crediting refuse it', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_TRC20', 10);
    const good = h.pay(addressOf(invoice), USDT(10), 'USDT', { mine: false });
    const { txHash } = h.pay(addressOf(invoice), USDT(10), 'USDT', { fail: 'REVERT', mine: false });
    h.mine(1);
    const goodInfo = (await (await fetch(`${sim.url}/wallet/gettransactioninfobyid`, { method: 'POST', body: JSON.stringify({ value: good.txHash }) })).json()) as Record<string, unknown>;
    proxy.lie = (path, _req, answer) => {
      const a = answer as { txID?: string; id?: string; ret?: unknown };
      if (path === '/wallet/gettransactionbyid' && a.txID === txHash) return { ...a, ret: [{ contractRet: 'SUCCESS' }] };
      // The other fork's info: it ran there, and moved the tokens.
      if (path === '/wallet/gettransactioninfobyid' && a.id === txHash) return { ...goodInfo, id: txHash };
      return undefined;
    };
    const attached = await call('api.invoice.attach_tx', { apiKey, pathParameters: { invoiceId: invoiceUuid(invoice.id) }, body: { tx_hash: txHash } });
    expect(attached.status).toBe(400);
    h.solidify();
    await h.settle();
    const forged: Observation = { kind: 'transfer.seen', source: 'attach_tx', transfer: { ...(await stateOf(h, invoice.id)).payments[0].transfer, txHash } };
    await handleObservation(h.deps, forged).catch(() => {});
    proxy.lie = null;
    const now = await h.invoice(invoice.id);
    expect(now).toMatchObject({ status: 'paid', amountPaid: USDT(10) });
    expect(now.payments.map((p) => p.key)).toEqual([`tron#${good.txHash}#0`]);
  });
});

describe('expiry of an invoice offered on EVM and on Tron', () => {
  let sim: TronGridSimulator;
  let h: TronHarness;
  let project: Project;
  beforeAll(async () => {
    sim = await startTronGridSimulator({ blockIntervalMs: null, solidifyDepth: TEST_SOLIDIFY_DEPTH, log: () => {} });
    const tron = { rpcUrls: [sim.url], devnet: true, tokens: { USDT_TRC20: sim.info().tokens.USDT.address }, confirmations: { normal: { tag: 'solidified' } } };
    // Ethereum is served (an unreachable node): the expirer reads only checkpoints.
    h = await useTronHarness({ simulator: sim, env: { CHAINS_JSON: JSON.stringify({ tron, ethereum: { rpcUrls: ['http://127.0.0.1:9'] } }) } });
    ({ project } = await newProject({}));
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
    await sim?.close();
  });

  it('is not canceled until both chains were scanned past its expiry', async () => {
    const created = Date.now() - 60 * 60_000;
    const invoice = await h.invoiceFor(project, 'USDT_ERC20', 10, { now: created, lifetimeMs: 20 * 60_000 });
    const switched = await selectCurrency(h.deps, invoice.id, 'USDT_TRC20', created + 60_000);
    expect(switched.ok).toBe(true);
    const both = await h.invoice(invoice.id);
    expect([both.selection?.code, ...both.previousOffers.map((o) => o.code)]).toEqual(['USDT_TRC20', 'USDT_ERC20']);
    const past = both.expiresAt + 60_000;
    /** Where a chain's watcher got to: the time of its cursor block. */
    const scannedUpTo = async (chain: 'tron' | 'ethereum', cursorTime: number) => {
      const cp = await h.chainState.get(chain);
      const hash = chain === 'tron' ? '1'.repeat(64) : `0x${'1'.repeat(64)}`;
      const next = { chain, cursor: 10, cursorTime, recent: [], head: { number: 10, hash }, headAt: Date.now(), version: (cp?.version ?? 0) + 1 };
      expect(await h.chainState.save(next, cp?.version ?? 0)).toBe(true);
    };
    // Each run comes after the previous one's recheck delay: a held invoice is put back that much later.
    let runAt = Date.now();
    const expire = () => {
      runAt += EXPIRY_LIMITS.recheckMs + 1;
      return expireDueInvoices(h.deps, runAt);
    };
    // Tron scanned past the expiry, ethereum not.
    await scannedUpTo('tron', past);
    await scannedUpTo('ethereum', both.expiresAt - 1);
    await expire();
    expect((await h.invoice(invoice.id)).status).toBe('created');
    // Ethereum past, Tron only up to the expiry itself.
    await scannedUpTo('ethereum', past);
    await scannedUpTo('tron', both.expiresAt);
    await expire();
    expect((await h.invoice(invoice.id)).status).toBe('created');
    await scannedUpTo('tron', past);
    await expire();
    expect((await h.invoice(invoice.id)).status).toBe('canceled');
  });
});
