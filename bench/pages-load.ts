/**
 * The pages' load generator, in its own process like a customer's browser: the payment page, the
 * status poll (a 200 and a 304), each against one bare GetItem of the invoice on the same engine.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { makeDocumentClient } from '../shared/adapters/dynamo/client';
import { compare } from './sampling';

const WARMUP_REQUESTS = 150;
const REQUESTS = 600;

async function main() {
  const { BENCH_URL: url = '', BENCH_INVOICE: id = '', BENCH_DYNAMODB: endpoint, BENCH_TABLE: table } = process.env;
  const get = (path: string, headers: Record<string, string> = {}, expected = 200) => async () => {
    const res = await fetch(`${url}${path}`, { headers });
    if (res.status !== expected) throw new Error(`GET ${path} answered ${res.status}`);
    await res.arrayBuffer();
  };
  const etag = (await fetch(`${url}/api/public/invoices/INV-${id}`)).headers.get('etag') ?? '';
  const db = makeDocumentClient({ region: 'us-east-1', endpoint });
  const getItem = async () => {
    await db.send(new GetCommand({ TableName: table, Key: { pk: `INVOICE#${id}`, sk: 'INVOICE' } }));
  };
  const page = get(`/pay/${id}`);
  const poll = get(`/api/public/invoices/INV-${id}`);
  const unchanged = get(`/api/public/invoices/INV-${id}`, { 'if-none-match': etag }, 304);
  await compare(WARMUP_REQUESTS, 2, page, getItem);
  const [pageRender, getItemForPage] = await compare(REQUESTS, 1, page, getItem);
  const [statusPoll, getItemForPoll] = await compare(REQUESTS, 1, poll, getItem);
  const [statusPoll304] = await compare(REQUESTS, 1, unchanged, unchanged);
  process.stdout.write(JSON.stringify({ pageRender, statusPoll, statusPoll304, getItem: { forPage: getItemForPage, forPoll: getItemForPoll } }));
}

main().catch((e) => {
  process.stderr.write(`pages load generator failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
