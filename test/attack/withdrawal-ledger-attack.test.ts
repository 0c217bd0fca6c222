/**
 * The ledger's funds-out rules against balances a payment reversal has put in debt (DynamoDB Local):
 * money coming back to `available` repays the debt first, as a credit does (DESIGN §5).
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeDocumentClient } from '../../shared/adapters/dynamo/client';
import { keys } from '../../shared/adapters/dynamo/keys';
import { holdEntry, releaseEntry } from '../../shared/domain/ledger';
import { newProject, useTestGateway } from '../support/gateway';

beforeAll(async () => {
  await useTestGateway({});
});

const deps = async () => (await import('../../functions/kit/deps')).runtime().deps;

describe('a release while a reversal left the merchant in debt', () => {
  it('repays the debt before anything becomes available again', async () => {
    const { shopId } = await newProject({ testMode: false });
    const { ledger } = await deps();
    const db = makeDocumentClient({ region: 'us-east-1', endpoint: process.env.DYNAMODB_ENDPOINT });
    await db.send(new PutCommand({ TableName: process.env.TABLE_NAME, Item: { ...keys.balance(shopId, 'USDT_ERC20'), type: 'balance', code: 'USDT_ERC20', total: 100n, available: 100n } }));
    const facts = { id: 'INV-DEBT0001', shopId, chain: 'ethereum' as const, code: 'USDT_ERC20', at: 1_700_000_000_000 };
    expect(await ledger.post(holdEntry(facts, 100n))).toBe('posted');
    // A credited payment of 50 is reorged away while the 100 is held: nothing available, 50 owed.
    await db.send(new PutCommand({ TableName: process.env.TABLE_NAME, Item: { ...keys.balance(shopId, 'USDT_ERC20'), type: 'balance', code: 'USDT_ERC20', total: 50n, available: 0n, held: 100n, debt: 50n } }));
    expect(await ledger.post(releaseEntry(facts, 100n))).toBe('posted');
    expect(await ledger.balance(shopId, 'USDT_ERC20')).toMatchObject({ total: 50n, available: 50n, held: 0n, debt: 0n });
    // Posting it again changes nothing.
    expect(await ledger.post(releaseEntry(facts, 100n))).toBe('already_posted');
    expect(await ledger.balance(shopId, 'USDT_ERC20')).toMatchObject({ total: 50n, available: 50n, held: 0n, debt: 0n });
  });
});
