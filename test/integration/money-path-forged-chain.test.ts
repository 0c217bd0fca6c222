/**
 * Attack: a forged `transfer.confirmed` whose `chain` is one served chain and whose `key` names a
 * credited transfer of another. Crediting reads the key's record and asks the message's chain
 * for the transaction: that chain has no such transaction, is past the block number and holds
 * another block there, so the real, deep, canonical payment is reversed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleObservation } from '../../shared/app/crediting';
import type { Project } from '../../shared/domain/project';
import { devnetChainSettings } from '../../lib/local/dev-defaults';
import { type Devnet, mine, startDevnet } from '../../lib/local/engines/devnet';
import { newProject } from '../support/gateway';
import { type Harness, usePaymentsHarness } from '../support/payments-harness';

let h: Harness;
let other: Devnet;
let project: Project;

beforeAll(async () => {
  const devnet = await startDevnet({ blockTimeSeconds: null });
  other = await startDevnet({ blockTimeSeconds: null });
  // Ethereum on the first devnet, Arbitrum (a chain whose block numbers run far ahead) on the second.
  const chains = { ...devnetChainSettings({ rpcUrl: devnet.rpcUrl, tokens: devnet.tokens }), arbitrum: { rpcUrls: [other.rpcUrl], devnet: true, tokens: {} } };
  h = await usePaymentsHarness({ devnet, env: { EVM_CHAINS_JSON: JSON.stringify(chains) } });
  ({ project } = await newProject({ partialTolerance: 'none' }));
  await h.settle();
}, 60_000);

afterAll(async () => {
  await h?.stop();
  await h?.devnet.stop();
  await other?.stop();
});

describe('a forged message names a transfer of another chain', () => {
  it('transfer.confirmed on arbitrum with the key of a credited ethereum transfer leaves the credit alone', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_ERC20', 10);
    await h.pay(invoice.selection!.address, 10_000_000n);
    await h.mine(3);
    await h.settle();
    const paid = await h.invoice(invoice.id);
    expect(paid).toMatchObject({ status: 'paid', payments: [{ state: 'credited' }] });
    const before = await h.balance(project.shopId, 'USDT_ERC20');
    const p = paid.payments[0];
    // The other chain is past that block number (Arbitrum is hundreds of millions of blocks ahead of Ethereum).
    await mine(other.rpcUrl, p.transfer.blockNumber + 5);
    await handleObservation(h.deps, { kind: 'transfer.confirmed', chain: 'arbitrum', key: p.key, blockNumber: p.transfer.blockNumber, blockHash: p.transfer.blockHash, confirmations: 10 });
    expect((await h.invoice(invoice.id)).payments[0].state).toBe('credited');
    expect(await h.balance(project.shopId, 'USDT_ERC20')).toEqual(before);
  }, 60_000);

  it('a forged transfer.seen of an unserved token, in a transaction that does not exist, records no stray and flags nothing', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_ERC20', 10);
    const head = await h.reader.head();
    const forged = {
      chain: 'ethereum' as const,
      txHash: `0x${'e'.repeat(64)}`,
      logIndex: 0,
      blockNumber: head.number,
      blockHash: head.hash,
      blockTime: Date.now(),
      contract: `0x${'e'.repeat(40)}`,
      from: `0x${'1'.repeat(40)}`,
      to: invoice.selection!.address.toLowerCase(),
      amount: 1n,
    };
    await handleObservation(h.deps, { kind: 'transfer.seen', source: 'watcher', transfer: forged });
    expect((await h.deps.payments.strays(invoice.id)).count).toBe(0);
    expect((await h.invoice(invoice.id)).facts.underReview ?? false).toBe(false);
  }, 60_000);
});
