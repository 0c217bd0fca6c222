/**
 * `npm start`: the local gateway with embedded defaults. PORT, HOST and TOLLGATE_DATA_DIR
 * override; TOLLGATE_DEVNET_PORT and TOLLGATE_DYNAMODB_PORT choose the engines' ports;
 * TOLLGATE_POSTBACK_ALLOW_PRIVATE=1 lets postbacks reach LAN addresses. HOST opens the HTTP API
 * beyond loopback on purpose, with a warning. A problem the person can fix (Java missing, a
 * port taken, no anvil) is printed as advice and exits 1, without a stack trace.
 */
import { CHAINS, findCrypto } from '../../shared/domain/currencies';
import { classifyAddress } from '../../shared/domain/network';
import { DEFAULT_DATA_DIR, DEFAULT_PORT } from './dev-defaults';
import { DEVNET_PORT_ENV } from './engines/devnet';
import { DYNAMODB_PORT_ENV, LOOPBACK_HOST } from './engines/dynamodb';
import { SetupProblem } from './engines/setup-advice';
import { startGateway } from './gateway';

const isLoopback = (host: string) => host === 'localhost' || classifyAddress(host) === 'loopback';

// The local run is on Node 20 by design (the Lambdas run 22); the SDK's upgrade notice is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** A port from the environment: undefined when unset, a SetupProblem when it is no port number. */
function portFromEnv(name: string, min: number): number | undefined {
  const text = process.env[name]?.trim();
  if (!text) return undefined;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < min || port > 65535) throw new SetupProblem('bad_setting', `${name}=${process.env[name]} is not a TCP port number.`, [`Set ${name} to a number from ${min} to 65535, or unset it.`]);
  return port;
}

async function main() {
  const port = portFromEnv('PORT', 0) ?? DEFAULT_PORT;
  const devnetPort = portFromEnv(DEVNET_PORT_ENV, 1);
  const dynamoPort = portFromEnv(DYNAMODB_PORT_ENV, 1);
  const dataDir = process.env.TOLLGATE_DATA_DIR ?? DEFAULT_DATA_DIR;
  const host = process.env.HOST?.trim() || LOOPBACK_HOST;
  const gateway = await startGateway({ dataDir, port, host, env: process.env, ...(devnetPort !== undefined ? { devnetPort } : {}), ...(dynamoPort !== undefined ? { dynamoPort } : {}) });
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
      `            RPC ${devnet.rpc_url}, chain id ${devnet.chain_id} (the same port on every start)`,
      `  Tron      TronGrid simulator, a block every 3 s       ${codesOf('tron')}`,
      '            (in memory: each start is a new Tron chain)',
      '',
      'Demo donation page (test mode):',
      `  ${gateway.demoDonationLink}`,
      '',
      'Try it:',
      `  curl -s ${gateway.url}/v2/invoice/create -H 'Authorization: Token ${demo.api_key}' \\`,
      `       -H 'Content-Type: application/json' -d '{"shop_id":"${demo.shop_id}","amount":10,"currency":"USD"}'`,
      '  npx --no-install tollgate project list',
      '  npx --no-install tollgate devnet info     (chain URLs, payers, token contracts)',
      '  npx --no-install tollgate devnet pay --code USDT_TRC20 --to T... --amount 10',
      `  open ${gateway.url}/demo/postbacks     (the demo project's postbacks, verified as a shop would)`,
      `  npx --no-install tollgate link create --shop ${demo.shop_id} --amount 25 --currency EUR --description "..."`,
      '',
      ...gateway.notices.flatMap((n) => [`NOTE: ${n}`, '']),
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
  // Advice as it is; anything else by its message (TOLLGATE_DEBUG=1 adds the stack for a bug report).
  const detail = e instanceof Error ? (process.env.TOLLGATE_DEBUG && !(e instanceof SetupProblem) ? (e.stack ?? e.message) : e.message) : String(e);
  process.stderr.write(`tollgate: could not start: ${detail}\n`);
  process.exit(1);
});
