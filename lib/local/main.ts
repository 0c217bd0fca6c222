/** `npm start`: the local gateway with embedded defaults. PORT and TOLLGATE_DATA_DIR override. */
import { DEFAULT_DATA_DIR, DEFAULT_PORT } from './dev-defaults';
import { startGateway } from './gateway';

// The local run is on Node 20 by design (the Lambdas run 22); the SDK's upgrade notice is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function main() {
  const port = Number(process.env.PORT ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a TCP port number, got ${process.env.PORT}`);
  const dataDir = process.env.TOLLGATE_DATA_DIR ?? DEFAULT_DATA_DIR;
  const gateway = await startGateway({ dataDir, port, env: process.env });
  const { demo } = gateway;
  process.stdout.write(
    [
      '',
      `Tollgate is running at ${gateway.url}  (data: ${gateway.dataDir})`,
      `${gateway.createdDemo ? 'Created' : 'Reusing'} the demo project (test mode):`,
      `  shop_id     ${demo.shop_id}`,
      `  api_key     ${demo.api_key}`,
      `  secret_key  ${demo.secret_key}`,
      '',
      'Try it:',
      `  curl -s ${gateway.url}/v2/invoice/create -H 'Authorization: Token ${demo.api_key}' \\`,
      `       -H 'Content-Type: application/json' -d '{"shop_id":"${demo.shop_id}","amount":10,"currency":"USD"}'`,
      '  npx tollgate project list',
      `  open ${gateway.url}/demo/postbacks     (the demo project's postbacks, verified as a shop would)`,
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
