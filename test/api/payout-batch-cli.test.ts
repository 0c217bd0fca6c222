/**
 * `tollgate payout batch` through the local HTTP host and the real admin handlers: the CSV checked
 * before anything is sent (every bad line by number), the same file sent again answering the same
 * batch, progress until every item is final, the approval hint, and --json for scripts. The batch
 * workflow is scripted: it marks the items as a paid batch would.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { getAddress } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtime } from '../../functions/kit/deps';
import { run } from '../../lib/cli/main';
import { CliError } from '../../lib/cli/target';
import { createHttpHost } from '../../lib/local/http-host';
import { type LocalQueues, startQueues } from '../../lib/local/engines/queues';
import { queueEnvironment } from '../../lib/manifest';
import { makeDocumentClient } from '../../shared/adapters/dynamo/client';
import { keys } from '../../shared/adapters/dynamo/keys';
import { updateProject } from '../../shared/app/projects';
import type { Deps } from '../../shared/ports';
import { ADMIN_TOKEN, newProject, useTestGateway } from '../support/gateway';
import { codeAt, enrol, STEP_MS, useManualClock } from '../support/second-factor';
import { useWorkflows } from '../support/workflows';

useWorkflows({
  waitSeconds: 0,
  workers: {
    // Pays every queued item of the batch at once: `fail-*` references fail, the others confirm.
    payout_batch: async (event) => {
      const { deps: d } = runtime();
      const batch = await d.payoutBatches.get(String(event.batchId));
      for (const w of await d.payoutBatches.items(batch?.itemIds ?? [])) {
        if (w.status !== 'requested') continue;
        const fail = w.batch?.reference.startsWith('fail');
        await d.withdrawals.save(
          fail ? { ...w, status: 'failed', reason: 'refused by the token contract', version: w.version + 1 } : { ...w, status: 'confirmed', landed: { hash: `0x${'ab'.repeat(32)}`, blockNumber: 7 }, version: w.version + 1 },
          w.version,
        );
      }
      return { batchId: event.batchId, state: 'held', legs: [], complete: true };
    },
  },
});

let host: Server;
let url: string;
let deps: Deps;
let queues: LocalQueues;
const dir = mkdtempSync(join(tmpdir(), 'payout-cli-'));

beforeAll(async () => {
  queues = await startQueues();
  ({ deps } = await useTestGateway({ SQS_ENDPOINT: queues.endpoint, ...queueEnvironment(queues.urls) }));
  host = createHttpHost();
  await new Promise<void>((ready) => host.listen(0, '127.0.0.1', ready));
  url = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((done) => host?.close(done));
  await queues?.stop();
});

async function cli(...args: string[]) {
  let printed = '';
  await run([...args, '--endpoint', url, '--admin-token', ADMIN_TOKEN], { TOLLGATE_POLL_MS: '20' }, (s) => {
    printed += s;
  });
  return printed;
}

async function refused(...args: string[]): Promise<string> {
  const e = await cli(...args).then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(CliError);
  return (e as Error).message;
}

const to = () => getAddress(`0x${randomBytes(20).toString('hex')}`);
let files = 0;
function csv(lines: string[]): string {
  files += 1;
  const path = join(dir, `payouts-${files}.csv`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

async function shop(approvalUsd = '1000000') {
  const made = await newProject({ testMode: false });
  const db = makeDocumentClient({ region: 'us-east-1', endpoint: process.env.DYNAMODB_ENDPOINT });
  await db.send(new PutCommand({ TableName: process.env.TABLE_NAME, Item: { ...keys.balance(made.shopId, 'USDT_ERC20'), type: 'balance', code: 'USDT_ERC20', total: 1_000_000_000n, available: 1_000_000_000n } }));
  await updateProject(deps, made.shopId, { payoutApprovalAboveUsd: approvalUsd });
  return made.shopId;
}

type BatchJson = { id: string; status: string; item_count: number; items: { index: number; reference: string; status: string }[] };

describe('tollgate payout batch create', () => {
  it('checks the whole file first and names every bad line; nothing is sent', async () => {
    const shopId = await shop();
    const file = csv([
      'currency,to_address,amount,reference',
      `USDT_ERC20,${to()},10,ok-1`,
      `DOGE,${to()},1,bad-currency`,
      `USDT_ERC20,${to()},-3,bad-amount`,
      `USDT_ERC20,${to()},1.1234567,too-precise`,
      `USDT_ERC20,${to()},1,ok-1`,
      '',
      `USDT_ERC20,${to()},1`,
      `USDT_ERC20,,1,no-address`,
    ]);
    const message = await refused('payout', 'batch', 'create', shopId, '--file', file);
    expect(message).toContain('has 6 problems; nothing was sent');
    expect(message).toContain('line 3: unknown currency "DOGE"');
    expect(message).toContain('line 4: amount must be a positive number');
    expect(message).toContain('line 5: amount has more than 6 decimals');
    expect(message).toContain('line 6: reference "ok-1" repeats line 2\'s');
    expect(message).toContain('line 8: expected 4 fields');
    expect(message).toContain('line 9: to_address is empty');
    expect(message).not.toMatch(/line (2|7):/);
    expect(await cli('payout', 'batch', 'list', shopId)).toBe('No payout batches.\n');
    expect(await refused('payout', 'batch', 'create', shopId, '--file', csv(['to_address,currency,amount,reference']))).toContain('line 1: the first line must be the header currency,to_address,amount,reference');
  });

  it('maps what only the gateway can refuse back to the file’s lines', async () => {
    const shopId = await shop();
    // Tron is not served by this test gateway: the CLI knows the code, the gateway refuses it.
    const message = await refused('payout', 'batch', 'create', shopId, '--file', csv(['currency,to_address,amount,reference', `USDT_ERC20,${to()},1,m-1`, 'USDT_TRC20,TJRabPrwbZy45sbavfcjinPJC18kjpRTv8,1,m-2']));
    expect(message).toMatch(/line 3: currency: unknown or unserved currency 'USDT_TRC20'/);
  });

  it('--json --no-wait prints the batch for scripts; the same file again answers the same batch', async () => {
    const shopId = await shop();
    const file = csv(['currency,to_address,amount,reference', `usdt_erc20,${to()},10,j-1`, `USDT_ERC20,"${to()}",2.5,"j-2, with a comma"`]);
    const first = JSON.parse(await cli('payout', 'batch', 'create', shopId, '--file', file, '--json', '--no-wait')) as BatchJson;
    expect(first).toMatchObject({ status: 'queued', item_count: 2 });
    expect(first.items.map((i) => i.reference)).toEqual(['j-1', 'j-2, with a comma']);
    const again = JSON.parse(await cli('payout', 'batch', 'create', shopId, '--file', file, '--json', '--no-wait')) as BatchJson;
    expect(again.id).toBe(first.id);
    const list = await cli('payout', 'batch', 'list', shopId);
    expect(list.split('\n')).toHaveLength(3);
  });

  it('follows the batch until every item is final (plain lines off a terminal) and ends with the item table', async () => {
    const shopId = await shop();
    const file = csv(['currency,to_address,amount,reference', `USDT_ERC20,${to()},10,paid-1`, `USDT_ERC20,${to()},3,fail-2`, `USDT_ERC20,0x1234,3,typo-3`]);
    const printed = await cli('payout', 'batch', 'create', shopId, '--file', file);
    const lines = printed.split('\n');
    expect(lines.some((l) => /^PB-[A-Z0-9]{8}: 1\/3 final \(confirmed 0, failed 1, sent 0, queued 2\)$/.test(l))).toBe(true);
    expect(lines.some((l) => /^PB-[A-Z0-9]{8}: 3\/3 final \(confirmed 1, failed 2, sent 0, queued 0\)$/.test(l))).toBe(true);
    expect(printed).toMatch(/status {5}queued|status {5}running|status {5}completed/);
    expect(printed).toMatch(/\n# +REFERENCE +CURRENCY +AMOUNT +TO +STATUS +TX +REASON\n/);
    expect(printed).toMatch(/\n1 +paid-1 +USDT_ERC20 +10 +0x[0-9a-fA-F]{40} +confirmed +0x(ab){32} +-\n/);
    expect(printed).toMatch(/\n2 +fail-2 .* failed +- +refused by the token contract\n/);
    expect(printed).toMatch(/\n3 +typo-3 .* failed +- +to_address is not an EVM address/);
    // --json waits the same way, and prints only the final batch.
    const json = JSON.parse(await cli('payout', 'batch', 'create', shopId, '--file', csv(['currency,to_address,amount,reference', `USDT_ERC20,${to()},1,paid-9`]), '--json')) as BatchJson;
    expect(json.items.map((i) => i.status)).toEqual(['confirmed']);
  });

  it('says when a batch waits for approval and how to give it; approve --code queues it', async () => {
    const shopId = await shop('10');
    const realClock = deps.clock;
    const clock = useManualClock(deps);
    try {
      const factor = await enrol(shopId, clock.now);
      const printed = await cli('payout', 'batch', 'create', shopId, '--file', csv(['currency,to_address,amount,reference', `USDT_ERC20,${to()},50,big-1`]));
      const id = /Batch (PB-[A-Z0-9]{8}) is worth/.exec(printed)?.[1] as string;
      expect(printed).toContain(`Approve it with: tollgate payout batch approve ${shopId} ${id} --code 123456`);
      expect(printed).toContain('(needs approval)');
      expect(await refused('payout', 'batch', 'approve', shopId, id)).toContain('needs --code');
      clock.advance(STEP_MS);
      const approved = JSON.parse(await cli('payout', 'batch', 'approve', shopId, id, '--code', await codeAt(factor.secret, clock.now()), '--json')) as BatchJson;
      expect(approved.status).toBe('queued');
      expect(await cli('payout', 'batch', 'show', shopId, id)).toContain('(approved ');
    } finally {
      deps.clock = realClock;
    }
  });
});
