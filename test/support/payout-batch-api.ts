/**
 * What the mass payout API tests share: a project whose balance is written straight into the
 * table (these tests are about what the API accepts and records, not about crediting), items and
 * calls in the wire's shape, and a batch workflow worker that pays nobody.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import { getAddress } from 'ethers';
import { makeDocumentClient } from '../../shared/adapters/dynamo/client';
import { keys } from '../../shared/adapters/dynamo/keys';
import { updateProject } from '../../shared/app/projects';
import type { Deps } from '../../shared/ports';
import { call, newProject } from './gateway';

export const USDT = (n: number) => BigInt(Math.round(n * 1e6));
/** A fresh checksummed recipient (no key needed: nothing is paid). */
export const randomRecipient = () => getAddress(`0x${randomBytes(20).toString('hex')}`);

/** A live project holding `balances` (code → base units) as available, with mass payouts above `approvalUsd` waiting for approval. */
export async function shopHolding(deps: Deps, balances: Record<string, bigint>, approvalUsd = '1000000') {
  const made = await newProject({ testMode: false });
  const db = makeDocumentClient({ region: 'us-east-1', endpoint: process.env.DYNAMODB_ENDPOINT });
  for (const [code, units] of Object.entries(balances)) {
    await db.send(new PutCommand({ TableName: process.env.TABLE_NAME, Item: { ...keys.balance(made.shopId, code), type: 'balance', code, total: units, available: units } }));
  }
  await updateProject(deps, made.shopId, { payoutApprovalAboveUsd: approvalUsd });
  return made;
}

export const payoutItem = (reference: string, amount: string | number = '1', overrides: Record<string, unknown> = {}) => ({ currency: 'USDT_ERC20', to_address: randomRecipient(), amount, reference, ...overrides });
export const createBatchCall = (apiKey: string, body: unknown, headers: Record<string, string> = {}) => call('api.payout_batch.create', { apiKey, body, headers });

/** The batch workflow's worker, scripted to pay nobody: Hold answers no legs, Close answers complete. */
export const payNobody = async (event: Record<string, unknown>) => ({ batchId: event.batchId, state: 'held', legs: [], complete: true });
