/**
 * The watch set with static wallets' addresses on real parts (anvil, DynamoDB Local, the real
 * watcher): forever-watched addresses come in through the claims index and are not re-read by the
 * periodic reload, which reads only the addresses whose watch ends; those are dropped when it has.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchPass, WatchSet } from '../../shared/app/chain-watcher';
import { createStaticWallet } from '../../shared/app/static-wallets';
import { type StaticWallet, WATCHED_FOR_GOOD } from '../../shared/domain/static-wallet';
import { DAY_MS, HOUR_MS } from '../../shared/domain/time';
import type { Observation } from '../../shared/domain/transfers';
import type { WatchedAddressSource } from '../../shared/ports';
import type { Project } from '../../shared/domain/project';
import { newProject } from '../support/gateway';
import { type Harness, usePaymentsHarness } from '../support/payments-harness';

let h: Harness;
let project: Project;

beforeAll(async () => {
  h = await usePaymentsHarness();
  ({ project } = await newProject());
  await h.settle();
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

/** The table's watch source, counting what each read returns. */
function countingSource(source: WatchedAddressSource) {
  const read = { claims: 0, ending: 0, forever: 0 };
  const counted: WatchedAddressSource = {
    async claimedSince(chain, since) {
      const claims = await source.claimedSince(chain, since);
      read.claims += claims.length;
      return claims;
    },
    async *watchEndingBetween(chain, after, before) {
      for await (const a of source.watchEndingBetween(chain, after, before)) {
        read.ending += 1;
        if (a.watchUntil >= WATCHED_FOR_GOOD) read.forever += 1;
        yield a;
      }
    },
  };
  return { read, source: counted };
}

async function staticWallet(identify: string): Promise<StaticWallet> {
  const made = await createStaticWallet(h.deps, project, { code: 'USDT_ERC20', identify, now: h.deps.clock.now() });
  if (!made.ok) throw new Error(JSON.stringify(made.error));
  return made.value;
}

describe('the watch set with static wallets', () => {
  it('matches a static address claimed after the watcher started on the next pass', async () => {
    const set = new WatchSet('ethereum', h.chainState);
    await watchPass(h.watcher, h.deployment, set);
    const wallet = await staticWallet('claimed-while-watching');
    expect(set.matcher(h.deps.clock.now())(wallet.address)).toBe(false);

    await h.pay(wallet.address, 7_000_000n);
    const pass = await watchPass(h.watcher, h.deployment, set);
    const seen: Observation[] = [];
    await h.drain((o) => {
      seen.push(...o);
      return o;
    });
    expect(pass.observations).toBe(1);
    expect(seen).toContainEqual(expect.objectContaining({ kind: 'transfer.seen', transfer: expect.objectContaining({ to: wallet.address.toLowerCase() }) }));
    await h.settle();
  });

  it('reloads only the addresses whose watch ends; the forever ones are re-read only by the rare full reload', async () => {
    const wallets = [await staticWallet('reload-1'), await staticWallet('reload-2'), await staticWallet('reload-3')];
    await h.invoiceFor(project, 'USDT_ERC20', 10);
    const { read, source } = countingSource(h.chainState);
    const set = new WatchSet('ethereum', source);
    const now = h.deps.clock.now();
    await set.refresh(now);
    const forever = read.forever;
    expect(forever).toBeGreaterThanOrEqual(wallets.length);
    expect(read.ending).toBeGreaterThan(forever);
    expect(set.size).toBe(read.ending);

    // The reload: the invoice addresses only, though every static address stays matched.
    const atReload = now + WatchSet.RELOAD_MS;
    const before = { ...read };
    await set.refresh(atReload);
    expect(read.forever - before.forever).toBe(0);
    expect(read.ending - before.ending).toBe(before.ending - forever);
    expect(set.size).toBe(before.ending);
    for (const w of wallets) expect(set.matcher(atReload)(w.address)).toBe(true);

    // A refresh between reloads reads the recent claims only.
    const between = { ...read };
    await set.refresh(atReload + 60_000);
    expect(read.ending).toBe(between.ending);

    // The full reload, hours apart, bounds the drift of the forever ones too.
    await set.refresh(now + WatchSet.FULL_RELOAD_MS);
    expect(read.forever - before.forever).toBe(forever);
  });

  it('drops an invoice address whose watch has ended and keeps the static ones', async () => {
    const now = h.deps.clock.now();
    // Its late-payment watch (30 days after expiry) ends in about an hour.
    const ending = await h.invoiceFor(project, 'USDT_ERC20', 10, { now: now - 30 * DAY_MS, lifetimeMs: HOUR_MS });
    const wallet = await staticWallet('stays');
    const endingAddress = ending.selection?.address ?? '';
    const { read, source } = countingSource(h.chainState);
    const set = new WatchSet('ethereum', source);
    await set.refresh(now);
    expect(set.matcher(now)(endingAddress)).toBe(true);
    const size = set.size;

    const later = now + 2 * HOUR_MS;
    await set.refresh(later);
    expect(set.size).toBe(size - 1);
    expect(set.matcher(later)(endingAddress)).toBe(false);
    expect(set.matcher(later)(wallet.address)).toBe(true);
    // Forever is forever: a hundred years on, the static address is still matched.
    expect(set.matcher(later + 36_500 * DAY_MS)(wallet.address)).toBe(true);
    expect(read.forever).toBeGreaterThan(0);
  });
});
