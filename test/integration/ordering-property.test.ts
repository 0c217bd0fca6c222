/**
 * DESIGN §10, "order and count do not matter", on real parts: 200 payments (ETH and USDT) on
 * anvil, reorgs of depth 1 to 10 (some re-include the orphaned transactions in other blocks, some
 * drop them, some flip back to the very blocks they replaced), watcher passes at random moments,
 * and every observation held back, delivered 1 to 5 times and shuffled, some long after the chain
 * moved on. At the end each invoice is credited exactly once if its transaction is on the final
 * canonical chain at the required depth, and not at all otherwise. Seeded: a failure prints its
 * seed; `TEST_SEED=<n>` replays it.
 */
import { getAddress, Interface, keccak256, toUtf8Bytes, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { rpc } from '../../lib/local/engines/devnet';
import { handleObservation } from '../../shared/app/crediting';
import type { Invoice } from '../../shared/domain/invoice/invoice';
import type { Observation } from '../../shared/domain/transfers';
import { newProject } from '../support/gateway';
import { type Harness, usePaymentsHarness } from '../support/payments-harness';
import { prng } from '../support/random';

const PAYMENTS = 200;
const REORG_DEPTH_MAX = 10;
const ROUNDS = 70;
const TRANSFER = new Interface(['function transfer(address to, uint256 value)']);

type MinedBlock = { number: number; snapshot: string; txs: string[]; timestamp: number };
/** One invoice's payment: a signed transaction, and whether it is sent (on the chain or in a block we mined). */
type Payment = { invoice: Invoice; raw: string; hash: string; sent: boolean };

let h: Harness;
beforeAll(async () => {
  h = await usePaymentsHarness();
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

/** A chain we can fork: each block is mined from a snapshot taken just before it. */
function forkableChain(rpcUrl: string) {
  let blocks: MinedBlock[] = [];
  const forks = new Map<number, MinedBlock[]>();

  async function mineBlock(txs: string[], timestamp?: number): Promise<MinedBlock> {
    const snap = await rpc<string>(rpcUrl, 'evm_snapshot');
    for (const raw of txs) {
      try {
        await rpc(rpcUrl, 'eth_sendRawTransaction', [raw]);
      } catch (e) {
        // Already on this chain, or already pooled again after a revert: the chain is the truth either way.
        if (!/nonce too low|already known|already imported/i.test(String(e))) throw e;
      }
    }
    if (timestamp !== undefined) await rpc(rpcUrl, 'evm_setNextBlockTimestamp', [timestamp]);
    await rpc(rpcUrl, 'evm_mine');
    const head = await rpc<{ number: string; timestamp: string }>(rpcUrl, 'eth_getBlockByNumber', ['latest', false]);
    const block = { number: Number(head.number), snapshot: snap, txs, timestamp: Number(head.timestamp) };
    blocks.push(block);
    return block;
  }

  /** Reverts the last `depth` blocks; returns the transactions they held. The orphaned fork is kept for a flip-back. */
  async function rewind(depth: number): Promise<{ from: number; orphaned: MinedBlock[] }> {
    const cut = Math.max(0, blocks.length - depth);
    const orphaned = blocks.slice(cut);
    if (orphaned.length === 0) return { from: blocks.at(-1)?.number ?? 0, orphaned };
    const ok = await rpc<boolean>(rpcUrl, 'evm_revert', [orphaned[0].snapshot]);
    if (!ok) throw new Error(`evm_revert ${orphaned[0].snapshot} failed`);
    blocks = blocks.slice(0, cut);
    const from = orphaned[0].number;
    // A fork kept above this height grew on blocks this rewind removes: its parent is gone, so it
    // can no longer be flipped back to (its timestamps would also precede the new parent's).
    for (const height of [...forks.keys()]) if (height > from) forks.delete(height);
    if (!forks.has(from)) forks.set(from, orphaned);
    return { from, orphaned };
  }

  return { mineBlock, rewind, forks, get length() { return blocks.length; } };
}

describe('crediting under any order of observations, with reorgs', () => {
  it(`${PAYMENTS} payments, reorgs of depth 1-${REORG_DEPTH_MAX} with re-inclusions and flip-backs, each observation held back and delivered 1-5 times shuffled: credited exactly once iff canonical at depth`, async () => {
    const seed = Number(process.env.TEST_SEED ?? Date.now() % 1_000_000);
    const random = prng(seed);
    const context = (what: string) => `seed ${seed} (replay with TEST_SEED=${seed}): ${what}`;
    // Errors thrown by the chain itself (not our assertions) name the seed too.
    onTestFailed(() => console.error(context('failed')));

    const { project } = await newProject({ partialTolerance: 'none' });
    await h.settle();
    // Each payer is a fresh account paying once with nonce 0, so its signed transaction can be
    // re-sent after any revert: the same transaction (same hash) lands in another block.
    const payments: Payment[] = [];
    for (let i = 0; i < PAYMENTS; i += 1) {
      const code = i % 2 === 0 ? 'ETH' : 'USDT_ERC20';
      const invoice = await h.invoiceFor(project, code, 1 + (i % 5));
      const wallet = new Wallet(keccak256(toUtf8Bytes(`ordering-property payer ${i}`)));
      await rpc(h.devnet.rpcUrl, 'anvil_setBalance', [wallet.address, '0x56bc75e2d63100000']);
      const to = getAddress(invoice.selection!.address);
      const amount = invoice.selection!.amountToPay;
      if (code === 'USDT_ERC20') await h.pay(wallet.address, amount);
      const tx =
        code === 'ETH'
          ? { to, value: amount }
          : { to: getAddress(h.devnet.tokens.USDT_ERC20), data: TRANSFER.encodeFunctionData('transfer', [to, amount]) };
      const raw = await wallet.signTransaction({ ...tx, nonce: 0, chainId: 31337, gasLimit: 100_000, maxFeePerGas: 100_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n, type: 2 });
      payments.push({ invoice, raw, hash: keccak256(raw), sent: false });
    }
    await h.settle();
    await rpc(h.devnet.rpcUrl, 'evm_setAutomine', [false]);
    const chain = forkableChain(h.devnet.rpcUrl);

    // Observations the queue holds: delivered later, in any order, some more than once.
    const pool: Observation[] = [];
    const collect = () =>
      h.drain((fresh) => {
        pool.push(...fresh);
        return [];
      });
    async function deliverSome(share: number) {
      const chosen = pool.filter(() => random() < share);
      const copies = chosen.flatMap((o) => Array.from({ length: 1 + Math.floor(random() * 5) }, () => o));
      for (let i = copies.length - 1; i > 0; i -= 1) {
        const j = Math.floor(random() * (i + 1));
        [copies[i], copies[j]] = [copies[j], copies[i]];
      }
      const failed = new Set<Observation>();
      for (const o of copies) {
        try {
          await handleObservation(h.deps, o);
        } catch {
          failed.add(o); // SQS would redeliver it
        }
      }
      // Delivered ones leave the queue, except failures and a few the queue redelivers anyway.
      for (const o of chosen) if (!failed.has(o) && random() < 0.85) pool.splice(pool.indexOf(o), 1);
    }

    const unsent = () => payments.filter((p) => !p.sent);
    let flipBacks = 0;
    let reinclusions = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      const roll = random();
      if (roll < 0.55 || chain.length < 2) {
        // Pay: a few invoices (never sent, or dropped by a reorg) per block, one to three blocks.
        for (let b = 0, n = 1 + Math.floor(random() * 3); b < n; b += 1) {
          const batch = unsent().filter(() => random() < 0.1).slice(0, 8);
          for (const p of batch) p.sent = true;
          await chain.mineBlock(batch.map((p) => p.raw));
        }
      } else {
        const depth = 1 + Math.floor(random() * Math.min(REORG_DEPTH_MAX, chain.length));
        const { from, orphaned } = await chain.rewind(depth);
        const previous = chain.forks.get(from);
        if (previous && previous !== orphaned && random() < 0.4) {
          // Flip back: the very blocks this fork replaced, same transactions, same timestamps.
          for (const block of previous) await chain.mineBlock(block.txs, block.timestamp);
          chain.forks.set(from, orphaned);
          flipBacks += 1;
        } else {
          // Another fork: some orphaned transactions re-included elsewhere, the rest dropped.
          const txs = orphaned.flatMap((b) => b.txs).filter(() => random() < 0.7);
          reinclusions += txs.length;
          const dropped = new Set(orphaned.flatMap((b) => b.txs).filter((raw) => !txs.includes(raw)));
          for (const p of payments) if (dropped.has(p.raw)) p.sent = false;
          for (let b = 0, n = depth + Math.floor(random() * 2); b < n; b += 1) {
            const take = txs.splice(0, Math.ceil(txs.length / Math.max(1, n - b)));
            await chain.mineBlock(take.sort(() => random() - 0.5), undefined);
          }
        }
      }
      // The watcher runs at random moments; the queue delivers at others.
      if (random() < 0.7) {
        try {
          await h.pass();
        } catch {
          // A pass that saw the chain move under it fails; the next one recovers.
        }
        await collect();
      }
      if (random() < 0.5) await deliverSome(random());
    }

    // The chain settles: deep enough for everything, then the watcher and the queue drain.
    await rpc(h.devnet.rpcUrl, 'anvil_mine', ['0xc']);
    for (let round = 0; round < 100; round += 1) {
      let quiet = false;
      try {
        const pass = await h.pass();
        quiet = pass.caughtUp && !pass.reorg && pass.observations === 0 && pass.confirmed === 0;
      } catch {
        quiet = false;
      }
      await collect();
      const before = pool.length;
      await deliverSome(1);
      if (quiet && before === 0 && pool.length === 0) break;
    }

    if (process.env.TEST_VERBOSE) console.log(JSON.stringify({ seed, flipBacks, reinclusions }));
    // The truth is the final chain.
    const head = Number(await rpc<string>(h.devnet.rpcUrl, 'eth_blockNumber'));
    const stored = await h.deps.invoices.getMany(payments.map((p) => p.invoice.id));
    let canonical = 0;
    for (const p of payments) {
      const receipt = await rpc<{ status: string; blockNumber: string } | null>(h.devnet.rpcUrl, 'eth_getTransactionReceipt', [p.hash]);
      const deep = receipt?.status === '0x1' && head - Number(receipt.blockNumber) + 1 >= 3;
      const invoice = stored.find((i) => i.id === p.invoice.id) as Invoice;
      const credited = invoice.payments.filter((x) => x.state === 'credited');
      if (deep) canonical += 1;
      expect(credited.length, context(`invoice ${p.invoice.id} (tx ${p.hash}, ${deep ? 'canonical and deep' : 'not on the final chain'}): ${JSON.stringify(invoice.payments.map((x) => [x.key, x.state, x.transfer.blockNumber]))}`)).toBe(deep ? 1 : 0);
      expect(invoice.amountPaid, context(`invoice ${p.invoice.id} amount paid`)).toBe(deep ? p.invoice.selection!.amountToPay : 0n);
      // A credit that was reversed leaves the status as it was (flagged `reversed`); otherwise it is still waiting.
      expect(invoice.status, context(`invoice ${p.invoice.id} status`)).toBe(deep || invoice.facts.reversed ? 'paid' : 'created');
      expect(invoice.facts.duplicate ?? false, context(`invoice ${p.invoice.id}: a transaction credited again is not a duplicate`)).toBe(false);
      if (deep) expect(credited[0].transfer.txHash, context(`invoice ${p.invoice.id} credited tx`)).toBe(p.hash);
    }
    // The ledger agrees with the invoices, to the unit.
    for (const code of ['ETH', 'USDT_ERC20']) {
      const expected = stored.filter((i) => i.selection?.code === code).reduce((acc, i) => acc + i.received, 0n);
      expect((await h.balance(project.shopId, code)).available, context(`${code} balance`)).toBe(expected);
    }
    expect(canonical, context('some payments end canonical')).toBeGreaterThan(0);
    expect(flipBacks + reinclusions, context('the run exercised reorgs')).toBeGreaterThan(0);
  }, 600_000);
});
