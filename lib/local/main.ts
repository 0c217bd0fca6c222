/**
 * `npm start`: the local gateway with embedded defaults. PORT, HOST and TOLLGATE_DATA_DIR
 * override. HOST opens the HTTP API beyond loopback on purpose, with a warning.
 */
import { CHAINS, findCrypto } from '../../shared/domain/currencies';
import { classifyAddress } from '../../shared/domain/network';
import { DEFAULT_DATA_DIR, DEFAULT_PORT } from './dev-defaults';
import { LOOPBACK_HOST } from './engines/dynamodb';
import { startGateway } from './gateway';

const isLoopback = (host: string) => host === 'localhost' || classifyAddress(host) === 'loopback';

// The local run is on Node 20 by design (the Lambdas run 22); the SDK's upgrade notice is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function main() {
  const port = Number(process.env.PORT ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a TCP port number, got ${process.env.PORT}`);
  const dataDir = process.env.TOLLGATE_DATA_DIR ?? DEFAULT_DATA_DIR;
  const host = process.env.HOST?.trim() || LOOPBACK_HOST;
  const gateway = await startGateway({ dataDir, port, host, env: process.env });
  if (!isLoopback(host)) {
    // The admin API answers to the admin token alone, and the demo keys are printed below.
    process.stderr.write(
      `\nWARNING: HOST=${host}: the gateway's HTTP API (admin routes included) is reachable from other machines on port ${gateway.port}. The engines behind it stay on loopback. Unset HOST to listen on ${LOOPBACK_HOST} only.\n`,
    );
  }
  const { demo, demoInvoice, devnet } = gateway;
  const codesOf = (family: 'evm' | 'tron') => devnet.codes.filter((code) => { const c = findCrypto(code); return c !== undefined && CHAINS[c.chain].family === family; }).join(', ');
  process.stdout.write(
    [
      '',
      `Tollgate is running at ${gateway.url}  (data: ${gateway.dataDir})`,
      `${gateway.createdDemo ? 'Created' : 'Reusing'} the demo project (test mode):`,
      `  shop_id     ${demo.shop_id}`,
      `  api_key     ${demo.api_key}`,
      `  secret_key  ${demo.secret_key}`,
      '',
      `Demo payment page (test mode, ${demoInvoice.created ? 'new' : 'kept'} invoice ${demoInvoice.uuid}):`,
      `  ${demoInvoice.link}`,
      "  open it, choose a coin (USDT on Tron, for one) and press 'Pay with the test wallet'",
      '',
      'Local chains (test coins only, paid from funded test wallets):',
      `  Ethereum  anvil devnet, a block every second          ${codesOf('evm')}`,
      `  Tron      TronGrid simulator, a block every 3 s       ${codesOf('tron')}`,
      '            (in memory: each start is a new Tron chain)',
      '',
      'Demo donation page (test mode):',
      `  ${gateway.demoDonationLink}`,
      '',
      'Try it:',
      `  curl -s ${gateway.url}/v2/invoice/create -H 'Authorization: Token ${demo.api_key}' \\`,
      `       -H 'Content-Type: application/json' -d '{"shop_id":"${demo.shop_id}","amount":10,"currency":"USD"}'`,
      '  npx tollgate project list',
      '  npx tollgate devnet info                 (chain URLs, payers, token contracts)',
      '  npx tollgate devnet pay --code USDT_TRC20 --to T... --amount 10',
      `  open ${gateway.url}/demo/postbacks     (the demo project's postbacks, verified as a shop would)`,
      `  npx tollgate link create --shop ${demo.shop_id} --amount 25 --currency EUR --description "..."`,
      '',
      process.env.LOG_FORMAT === 'json' ? 'Logs follow as JSON lines.' : 'Events follow, one line each (LOG_FORMAT=json for full logs):',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the gateway...\n`);
    await gateway.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((e: unknown) => {
  process.stderr.write(`tollgate: could not start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
