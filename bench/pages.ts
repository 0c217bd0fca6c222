/**
 * The payment page: its weight (every byte a phone downloads for it, gzipped as CloudFront or API
 * Gateway compression would send it) and its server render and status-poll latency against one
 * bare GetItem on the same DynamoDB Local engine. Targets: page under 100 KB gzipped, its JS under
 * 30 KB gzipped.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { freePort } from '../lib/local/engines/dynamodb';
import { LOCAL_TABLE_NAME, startGateway } from '../lib/local/gateway';
import { round } from './sampling';

type Kind = 'html' | 'css' | 'js' | 'fonts' | 'images';
const kindOf = (path: string): Kind => (/\.css$/.test(path) ? 'css' : /\.m?js$/.test(path) ? 'js' : /\.(woff2?|ttf|otf)$/.test(path) ? 'fonts' : 'images');

async function json(res: Response) {
  if (!res.ok) throw new Error(`${res.url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as { result: Record<string, unknown> };
}

/** Bytes, raw and gzipped, of the page and everything it references from this host. */
async function weigh(base: string, path: string) {
  const html = await (await fetch(`${base}${path}`)).text();
  const refs = [...new Set([...html.matchAll(/(?:href|src)="(\/[^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&')))].filter((r) => !r.startsWith('/help') && !/[?&]locale=/.test(r));
  const sizes: Record<Kind, { raw: number; gzip: number }> = { html: { raw: 0, gzip: 0 }, css: { raw: 0, gzip: 0 }, js: { raw: 0, gzip: 0 }, fonts: { raw: 0, gzip: 0 }, images: { raw: 0, gzip: 0 } };
  const add = (kind: Kind, body: Buffer) => {
    sizes[kind].raw += body.length;
    sizes[kind].gzip += gzipSync(body).length;
  };
  add('html', Buffer.from(html));
  for (const ref of refs) add(kindOf(ref.split('?')[0]), Buffer.from(await (await fetch(`${base}${ref}`)).arrayBuffer()));
  const totalGzip = Object.values(sizes).reduce((a, s) => a + s.gzip, 0);
  return { files: refs.length + 1, bytes: sizes, total_gzip_bytes: totalGzip };
}

export async function pagesBench() {
  const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-bench-pages-'));
  const gateway = await startGateway({ dataDir, port: await freePort(), inMemory: true, env: { LOG_LEVEL: 'warn', RATE_LIMIT_BROWSE_PER_MINUTE: '1000000' } });
  try {
    const auth = { authorization: `Token ${gateway.demo.api_key}`, 'content-type': 'application/json' };
    const created = await json(await fetch(`${gateway.url}/v2/invoice/create`, { method: 'POST', headers: auth, body: JSON.stringify({ shop_id: gateway.demo.shop_id, amount: 49.99, currency: 'USD', order_id: 'bench-42' }) }));
    const uuid = String(created.result.uuid);
    const id = uuid.replace('INV-', '');
    const choose = await weigh(gateway.url, `/pay/${id}`);
    await json(await fetch(`${gateway.url}/api/invoices/${uuid}/select`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ currency: 'USDT_ERC20' }) }));
    const pay = await weigh(gateway.url, `/pay/${id}`);
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'pages-load.ts')], {
      env: { ...process.env, BENCH_URL: gateway.url, BENCH_INVOICE: id, BENCH_DYNAMODB: process.env.DYNAMODB_ENDPOINT, BENCH_TABLE: LOCAL_TABLE_NAME },
      maxBuffer: 1 << 20,
    });
    const f = JSON.parse(stdout) as Record<'pageRender' | 'statusPoll' | 'statusPoll304', { p50_ms: number; p99_ms: number }> & { getItem: Record<'forPage' | 'forPoll', { p50_ms: number; p99_ms: number }> };
    return {
      weight_choose_state: choose,
      weight_pay_state: pay,
      target_page_gzip_bytes_max: 100 * 1024,
      target_js_gzip_bytes_max: 30 * 1024,
      target_met: pay.total_gzip_bytes <= 100 * 1024 && pay.bytes.js.gzip <= 30 * 1024 && choose.total_gzip_bytes <= 100 * 1024,
      render_pay_page: f.pageRender,
      status_poll_200: f.statusPoll,
      status_poll_304: f.statusPoll304,
      baseline_get_item: f.getItem,
      ratio_page_p50_to_get_item_p50: round(f.pageRender.p50_ms / f.getItem.forPage.p50_ms),
      ratio_poll_p50_to_get_item_p50: round(f.statusPoll.p50_ms / f.getItem.forPoll.p50_ms),
    };
  } finally {
    await gateway.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
