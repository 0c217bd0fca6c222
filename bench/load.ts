/**
 * The load generator of `npm run bench`, in its own process like a real shop's client: measures
 * invoice-create over HTTP and a bare PutItem on the gateway's own DynamoDB engine.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { makeDocumentClient } from '../shared/adapters/dynamo/client';
import { encodeInvoice } from '../shared/adapters/dynamo/codec';
import { buildInvoice } from '../test/support/builders';
import { compare } from './sampling';

const WARMUP_REQUESTS = 300;
const SEQUENTIAL_REQUESTS = 600;
const CONCURRENT_REQUESTS = 2_100;
const CONCURRENCY = 16;
async function main() {
  const { BENCH_URL: url = '', BENCH_API_KEY: apiKey = '', BENCH_SHOP_ID: shopId = '', BENCH_DYNAMODB: endpoint, BENCH_TABLE: table } = process.env;
  const body = JSON.stringify({ shop_id: shopId, amount: 49.99, currency: 'USD', order_id: 'bench' });
  const create = async () => {
    const res = await fetch(`${url}/v2/invoice/create`, { method: 'POST', headers: { authorization: `Token ${apiKey}`, 'content-type': 'application/json' }, body });
    if (res.status !== 200) throw new Error(`create answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
  };
  const db = makeDocumentClient({ region: 'us-east-1', endpoint });
  // The baseline writes the very item an invoice-create writes (same attributes, same bytes), so
  // the ratio is the cost of the API path around one PutItem.
  // An invoice as the bench's create request makes it: 49.99 USD with an order id, nothing chosen yet.
  const now = Date.now();
  const sample = encodeInvoice(buildInvoice({ id: 'BENCH000' as never, shopId, orderId: 'bench', price: { currency: 'USD', minor: 4999n }, createdAt: now, expiresAt: now + 86_400_000 }));
  let n = 0;
  const put = async () => {
    n += 1;
    await db.send(new PutCommand({ TableName: table, Item: { ...sample, pk: `${sample.pk}-${process.pid}-${n}`, gsi1sk: `${sample.gsi1sk}-${n}`, gsi2sk: `${sample.gsi2sk}-${n}` } }));
  };
  // The bare HTTP hop to the gateway (GET /health: no table access), to show what the ratio is made of.
  const health = async () => {
    const res = await fetch(`${url}/health`);
    await res.arrayBuffer();
  };
  await compare(WARMUP_REQUESTS, 4, create, put);
  const [hop] = await compare(SEQUENTIAL_REQUESTS, 1, health, health);
  const [createSequential, putSequential] = await compare(SEQUENTIAL_REQUESTS, 1, create, put);
  const [createConcurrent, putConcurrent] = await compare(CONCURRENT_REQUESTS, CONCURRENCY, create, put);
  process.stdout.write(JSON.stringify({ createSequential, createConcurrent, putSequential, putConcurrent, hop }));
}

main().catch((e) => {
  process.stderr.write(`load generator failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
