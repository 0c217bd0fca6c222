/**
 * The local gateway's Tron chain (the TronGrid simulator) lives in memory while the table keeps the
 * Tron watcher's checkpoint: a restart meets a checkpoint whose blocks no longer exist. The gateway
 * moves the checkpoint to the new chain's head, so: what the old chain credited stays credited (not
 * read as a reorg and reversed), a payment left pending on the old chain is withdrawn once the new
 * chain passes its height, and the new chain's payments are credited at once. Blocks are mined by
 * hand here, so the heights are exact.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runtime } from '../../functions/kit/deps';
import { type Gateway, startGateway } from '../../lib/local/gateway';

const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-tron-restart-'));
let gateway: Gateway | null = null;

afterAll(async () => {
  await gateway?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const start = async () => {
  gateway = await startGateway({ dataDir, port: 0, tronBlockIntervalMs: null, env: { LOG_LEVEL: 'warn' } });
  return gateway;
};

async function post<T>(url: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const sim = (gw: Gateway) => {
  const api = gw.devnet.tron!.api_url;
  return {
    mine: (blocks: number) => post<{ head: number }>(`${api}/_simulator/mine`, { blocks }),
    /** 10 USDT from the payer, in the next block (mined now). */
    pay: (to: string) => post<{ txid: string }>(`${api}/_simulator/transfer`, { to, amount: '10000000', token: 'USDT', mine: true }),
  };
};

async function createUsdtTrc20Invoice(gw: Gateway) {
  const made = await post<{ result: { uuid: string; address: string } }>(
    `${gw.url}/v2/invoice/create`,
    { shop_id: gw.demo.shop_id, amount: 10, currency: 'USD', add_fields: { cryptocurrency: 'USDT_TRC20' } },
    { authorization: `Token ${gw.demo.api_key}` },
  );
  return made.result;
}

/** The payment page's view of an invoice: its state and its payments (through the status poll). */
const pageState = async (gw: Gateway, uuid: string) => ((await (await fetch(`${gw.url}/api/public/invoices/${uuid}`)).json()) as { state: string }).state;

/** Polls (the local schedules run the Tron watcher every 3 s) until `state`, mining a block now and then if asked. */
async function until(gw: Gateway, uuid: string, state: string, mineEvery?: number) {
  const deadline = Date.now() + 30_000;
  let shown = await pageState(gw, uuid);
  for (let i = 1; shown !== state && Date.now() < deadline; i += 1) {
    await new Promise((r) => setTimeout(r, 250));
    if (mineEvery && i % mineEvery === 0) await sim(gw).mine(1);
    shown = await pageState(gw, uuid);
  }
  return shown;
}

describe('the local Tron chain across a restart', () => {
  it('keeps old credits, withdraws a payment the old chain left pending once the new chain passes it, and credits the new chain', async () => {
    let gw = await start();
    await sim(gw).mine(10);
    // A new deployment's watcher starts at the head: let its first pass set the checkpoint before paying.
    for (let i = 0; i < 100 && !(await runtime().chainState.get('tron')); i += 1) await new Promise((r) => setTimeout(r, 100));
    const credited = await createUsdtTrc20Invoice(gw);
    await sim(gw).pay(credited.address);
    expect(await until(gw, credited.uuid, 'paid', 4)).toBe('paid');
    const pending = await createUsdtTrc20Invoice(gw);
    await sim(gw).pay(pending.address);
    // Seen in one block; no more blocks, so it stays short of its 3 confirmations.
    expect(await until(gw, pending.uuid, 'seen')).toBe('seen');
    const old = await runtime().chainState.get('tron');
    expect(old?.cursor).toBeGreaterThan(12);
    await gw.stop();
    gateway = null;

    gw = await start();
    // At the new chain's head. Left at the old cursor, the watcher would stand past this chain's head
    // (scanning nothing until the chain grew past it) and read the missing blocks as a deep reorg.
    expect(await runtime().chainState.get('tron')).toMatchObject({ cursor: 0, recent: [{ number: 0 }], version: (old?.version ?? 0) + 1 });
    // The old chain's credit stands, a watcher pass or two later.
    await new Promise((r) => setTimeout(r, 7_000));
    expect(await pageState(gw, credited.uuid)).toBe('paid');
    expect(await pageState(gw, pending.uuid)).toBe('seen');

    // The new chain reaches the pending payment's height: another block is there, so it is withdrawn.
    await sim(gw).mine((old?.cursor ?? 0) + 5);
    expect(await until(gw, pending.uuid, 'waiting')).toBe('waiting');
    expect(await pageState(gw, credited.uuid)).toBe('paid');

    // And the new chain's payments are credited.
    await sim(gw).pay(pending.address);
    expect(await until(gw, pending.uuid, 'paid', 4)).toBe('paid');
  }, 180_000);
});
