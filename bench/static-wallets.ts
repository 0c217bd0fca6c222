/**
 * The watcher with static wallets (issue 12, "Watching"), on anvil and DynamoDB Local, at 1,000
 * and then 100,000 static wallet addresses (claims written as the wallet store writes them) next
 * to 1,000 invoice addresses whose watch ends:
 * - RPC calls per scanned 100-block range (target: flat, ratio <= 1.1);
 * - steady pass time p50/p95 and per block (target: flat);
 * - the cold-start load (time, items read), the 15-minute reload and the 6-hour full reload
 *   (items read: the reload reads the invoice addresses only, whatever the static ones);
 * - the heap the watch set holds, after a forced GC.
 * A static address claimed after the cold start is paid in the first steady range: it must be
 * seen by that range's pass.
 */
import { randomBytes } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { runtime, watcherDeps } from '../functions/kit/deps';
// The bench drives the watcher directly, not through the entry that registers the EVM reader.
import '../functions/kit/chains-evm';
import { devnetPay, mine } from '../lib/local/engines/devnet';
import { type AddressClaim, addressClaimPut } from '../shared/adapters/dynamo/address-claims';
import { makeDocumentClient } from '../shared/adapters/dynamo/client';
import { watchPass, WatchSet } from '../shared/app/chain-watcher';
import type { ChainDeployment } from '../shared/domain/chains';
import type { InvoiceId, StaticWalletId } from '../shared/domain/ids';
import { WATCHED_FOR_GOOD } from '../shared/domain/static-wallet';
import { DAY_MS } from '../shared/domain/time';
import type { WatchedAddressSource } from '../shared/ports';
import { round } from './sampling';
import { startEvmBenchEngines } from './watcher';

const SIZES = [1_000, 100_000] as const;
const INVOICE_ADDRESSES = 1_000;
const RANGE = 100;
const STEADY_RANGES = 12;
/** Passes before the measured ones: compiled code and warm connections, at both sizes alike. */
const WARM_UP_RANGES = 2;
const ENGINE_WARM_UP_RANGES = 20;
/** Token and ETH transfers to strangers in each range: the reader's work, none of it ours. */
const TRANSFERS_PER_RANGE = 10;
const WRITERS = 8;

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const randomAddress = () => `0x${randomBytes(20).toString('hex')}`;

/** A forced full GC: the runner's `--expose-gc` when given, else the flag set at run time. */
function collector(): { gc: () => void; how: string } {
  if (typeof globalThis.gc === 'function') return { gc: globalThis.gc, how: 'global.gc (--expose-gc)' };
  setFlagsFromString('--expose-gc');
  return { gc: runInNewContext('gc') as () => void, how: 'gc exposed at run time (v8.setFlagsFromString)' };
}

function heapAfterGc(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Claim items exactly as the stores write them (addressClaimPut), 25 a batch, WRITERS batches at a time. */
async function writeClaims(db: DynamoDBDocumentClient, table: string, claims: AddressClaim[]) {
  const batches: AddressClaim[][] = [];
  for (let i = 0; i < claims.length; i += 25) batches.push(claims.slice(i, i + 25));
  let next = 0;
  const writer = async () => {
    while (next < batches.length) {
      let requests = batches[next++].map((c) => ({ PutRequest: { Item: addressClaimPut(table, c).Put.Item } }));
      while (requests.length > 0) {
        const out = await db.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
        requests = (out.UnprocessedItems?.[table] ?? []) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
}

/** The table's watch source, counting the items each read returns and the time spent waiting for them. */
function countingSource(source: WatchedAddressSource) {
  const read = { claims: 0, ending: 0, forever: 0, waitMs: 0 };
  const counted: WatchedAddressSource = {
    async claimedSince(chain, since) {
      const t = performance.now();
      const claims = await source.claimedSince(chain, since);
      read.waitMs += performance.now() - t;
      read.claims += claims.length;
      return claims;
    },
    async *watchEndingBetween(chain, after, before) {
      const items = source.watchEndingBetween(chain, after, before)[Symbol.asyncIterator]();
      for (;;) {
        const t = performance.now();
        const next = await items.next();
        read.waitMs += performance.now() - t;
        if (next.done) return;
        read.ending += 1;
        if (next.value.watchUntil >= WATCHED_FOR_GOOD) read.forever += 1;
        yield next.value;
      }
    },
  };
  return { read, source: counted };
}

const itemsRead = (read: { claims: number; ending: number }) => read.claims + read.ending;

export async function staticWalletFigures() {
  const { dynamo, devnet, table, stop } = await startEvmBenchEngines();
  try {
    const { deps, chainState } = runtime();
    const deployment = deps.chains.find((d) => d.chain === 'ethereum') as ChainDeployment;
    // The watcher's clock, moved forward to reach the reloads without waiting for them.
    let shift = 0;
    const clock = { now: () => Date.now() + shift };
    const base = watcherDeps('ethereum');
    const reader = base.reader;
    const db = makeDocumentClient({ region: 'us-east-1', endpoint: dynamo.endpoint });
    const { gc, how } = collector();

    const started = Date.now();
    // Claimed over the past days, as a live deployment's would be: none in the claims window.
    const claimedAt = (i: number) => started - DAY_MS - i;
    await writeClaims(
      db,
      table,
      Array.from({ length: INVOICE_ADDRESSES }, (_, i) => ({
        chain: 'ethereum',
        address: randomAddress(),
        owner: { kind: 'invoice', invoiceId: `BENCH${i}` as InvoiceId },
        claimedAt: claimedAt(i),
        watchUntil: started + 30 * DAY_MS,
      })),
    );
    let seeded = 0;
    const seedStatic = async (n: number) => {
      const claims: AddressClaim[] = [];
      for (; seeded < n; seeded += 1) claims.push({ chain: 'ethereum', address: randomAddress(), owner: { kind: 'static_wallet', walletId: randomBytes(16).toString('hex').toUpperCase() as StaticWalletId }, claimedAt: claimedAt(seeded), watchUntil: WATCHED_FOR_GOOD });
      await writeClaims(db, table, claims);
    };

    const stranger = `0x${'b'.repeat(40)}`;
    /** One range of traffic: transfers to strangers (and to `paid`), then empty blocks up to RANGE. */
    const range = async (paid: string | null) => {
      for (let i = 0; i < TRANSFERS_PER_RANGE; i += 1) {
        const to = i === 0 && paid ? paid : stranger;
        await devnetPay(devnet.rpcUrl, devnet.payerPrivateKey, { token: i % 2 ? null : devnet.tokens.USDT_ERC20, to, amount: 1000n });
      }
      await mine(devnet.rpcUrl, RANGE - TRANSFERS_PER_RANGE);
    };

    // Warms the engines (DynamoDB Local's JVM above all) before anything is measured, so the first
    // size is not timed on cold engines and the second on warm ones.
    const head = await reader.head();
    await chainState.save({ chain: 'ethereum', cursor: head.number, cursorTime: null, recent: [head], head, headAt: clock.now(), version: 1 }, 0);
    const warming = new WatchSet('ethereum', chainState);
    for (let r = 0; r < ENGINE_WARM_UP_RANGES; r += 1) {
      await range(null);
      await watchPass({ ...base, clock }, deployment, warming);
    }

    const figures: Record<string, Record<string, unknown>> = {};
    for (const size of SIZES) {
      const t0 = performance.now();
      await seedStatic(size);
      const seedSeconds = (performance.now() - t0) / 1000;
      shift = 0;
      const watcher = { ...base, clock };
      // The checkpoint at the head: every pass below scans exactly the range mined before it.
      const at = await reader.head();
      const cp = await chainState.get('ethereum');
      await chainState.save({ chain: 'ethereum', cursor: at.number, cursorTime: null, recent: [at], head: at, headAt: clock.now(), version: (cp?.version ?? 0) + 1 }, cp?.version ?? 0);

      // Cold start: the whole load, and the part of it spent waiting for the table (DynamoDB
      // Local pages a large partition in time that grows with it; DynamoDB pages in constant time).
      const { read, source } = countingSource(chainState);
      let watchSet: WatchSet | null = new WatchSet('ethereum', source);
      const c0 = performance.now();
      await watchSet.refresh(clock.now());
      const coldMs = performance.now() - c0;
      const coldWaitMs = read.waitMs;
      const coldItems = itemsRead(read);
      const watched = watchSet.size;

      // Steady passes; a static address claimed now, after the cold start, is paid in the first range.
      const late = { chain: 'ethereum', address: randomAddress(), owner: { kind: 'static_wallet', walletId: randomBytes(16).toString('hex').toUpperCase() as StaticWalletId }, claimedAt: Date.now(), watchUntil: WATCHED_FOR_GOOD } satisfies AddressClaim;
      await writeClaims(db, table, [late]);
      const passMs: number[] = [];
      const calls: number[] = [];
      const readPerPass: number[] = [];
      let lateSeen = 0;
      const pass = async () => {
        const before = { calls: reader.calls, items: itemsRead(read) };
        const p0 = performance.now();
        const result = await watchPass(watcher, deployment, watchSet as WatchSet);
        const ms = performance.now() - p0;
        if (result.scanned !== RANGE) throw new Error(`expected a ${RANGE}-block pass, scanned ${result.scanned}`);
        return { result, ms, calls: reader.calls - before.calls, items: itemsRead(read) - before.items };
      };
      for (let r = 0; r < WARM_UP_RANGES + STEADY_RANGES; r += 1) {
        await range(r === 0 ? late.address : null);
        const p = await pass();
        if (r === 0) lateSeen = p.result.observations;
        if (r < WARM_UP_RANGES) continue;
        passMs.push(p.ms);
        calls.push(p.calls);
        readPerPass.push(p.items);
      }

      // The 15-minute reload, then the 6-hour full reload, each inside a pass over a range.
      shift = WatchSet.RELOAD_MS;
      const foreverBefore = read.forever;
      await range(null);
      const reload = await pass();
      const reloadForever = read.forever - foreverBefore;
      shift = WatchSet.FULL_RELOAD_MS;
      await range(null);
      const full = await pass();
      if (watchSet.size !== watched + 1) throw new Error(`the watch set holds ${watchSet.size}, expected ${watched + 1}`);
      // What the set holds: the heap that letting it go frees, both sides after a full GC.
      const heapWith = heapAfterGc(gc);
      watchSet = null;
      const heapHeld = heapWith - heapAfterGc(gc);

      figures[`static_${size}`] = {
        static_addresses: size,
        invoice_addresses: INVOICE_ADDRESSES,
        watched_addresses: watched,
        seed_seconds: round(seedSeconds),
        rpc_calls_per_100_block_range: percentile(calls, 50),
        rpc_calls_per_100_block_range_min_max: [Math.min(...calls), Math.max(...calls)],
        pass_p50_ms: round(percentile(passMs, 50)),
        pass_p95_ms: round(percentile(passMs, 95)),
        pass_p50_ms_per_block: round(percentile(passMs, 50) / RANGE),
        steady_passes: passMs.length,
        steady_pass_items_read_max: Math.max(...readPerPass),
        late_static_address_seen_on_next_pass: lateSeen === 1,
        cold_start_load_ms: round(coldMs),
        cold_start_table_wait_ms: round(coldWaitMs),
        cold_start_watch_set_ms: round(coldMs - coldWaitMs),
        cold_start_items_read: coldItems,
        reload_items_read: reload.items,
        reload_forever_items_read: reloadForever,
        reload_pass_ms: round(reload.ms),
        full_reload_items_read: full.items,
        full_reload_pass_ms: round(full.ms),
        watch_set_heap_bytes: heapHeld,
        watch_set_heap_bytes_per_address: round(heapHeld / (watched + 1)),
      };
    }

    const small = figures[`static_${SIZES[0]}`];
    const large = figures[`static_${SIZES[1]}`];
    const ratio = (key: string) => round(Number(large[key]) / Number(small[key]));
    return {
      ...figures,
      rpc_calls_ratio_large_to_small: ratio('rpc_calls_per_100_block_range'),
      rpc_calls_target_ratio_max: 1.1,
      pass_p50_ratio_large_to_small: ratio('pass_p50_ms'),
      reload_items_ratio_large_to_small: ratio('reload_items_read'),
      heap_bytes_per_added_address: round((Number(large.watch_set_heap_bytes) - Number(small.watch_set_heap_bytes)) / (Number(large.watched_addresses) - Number(small.watched_addresses))),
      heap_measured_with: how,
      range_blocks: RANGE,
      transfers_per_range: TRANSFERS_PER_RANGE,
    };
  } finally {
    await stop();
  }
}

/** `BENCH_ONLY=static-wallets` runs it through bench/stages.ts; `tsx bench/static-wallets.ts` prints it alone. */
if (process.argv[1] && import.meta.filename === process.argv[1]) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  process.stdout.write(`${JSON.stringify({ static_wallets: await staticWalletFigures() }, null, 2)}\n`);
}
