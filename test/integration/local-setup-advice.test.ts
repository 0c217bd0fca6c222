/**
 * What a newcomer meets when `npm start` cannot start, on the real engines and the real entry
 * point: Java hidden from PATH, ports held by a real listener, no anvil for the platform. Each
 * is advice (what to install, which port, which variable) and a clean exit 1, never a stack trace.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevnet } from '../../lib/local/engines/devnet';
import { startDynamo } from '../../lib/local/engines/dynamodb';
import { checkPort, findAnvil, SetupProblem } from '../../lib/local/engines/setup-advice';
import { postbackAllowPrivate } from '../../lib/local/gateway';

const ROOT = join(import.meta.dirname, '..', '..');
const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A PATH holding node and nothing else: no java, no anvil. */
function pathWithoutJava(): string {
  const bin = tmp('tollgate-nojava-');
  dirs.push(bin);
  symlinkSync(process.execPath, join(bin, 'node'));
  return bin;
}

/** Something else holding a port on loopback, as another program would. */
async function occupy(): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('no port');
  return { port: address.port, close: () => new Promise((ok) => server.close(() => ok())) };
}

/** Runs `npm start`'s entry point (lib/local/main.ts) with only the given environment; resolves on exit. */
function npmStart(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'lib/local/main.ts'], { cwd: ROOT, env: { HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`npm start did not exit: ${stdout}${stderr}`));
    }, 90_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A stack trace's frames ("    at fn (file:1:2)"): advice has none. */
const STACK_FRAME = /^\s+at .+[:(]/m;

describe('Java missing', () => {
  it('DynamoDB Local started with java hidden from PATH says which JDK to install, for each platform', async () => {
    const error = await startDynamo({ env: { PATH: pathWithoutJava() } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SetupProblem);
    expect((error as SetupProblem).code).toBe('java_missing');
    const text = (error as Error).message;
    expect(text).toMatch(/runs on Java, and java could not be run \(not found on PATH\)/);
    expect(text).toContain('sudo apt-get install -y openjdk-17-jdk-headless');
    expect(text).toContain('brew install openjdk@17');
    expect(text).toContain('winget install Microsoft.OpenJDK.17');
    expect(text).toContain('JAVA_HOME');
  });

  it('JAVA_HOME pointing at no JDK is told the same way', async () => {
    const error = await startDynamo({ env: { PATH: process.env.PATH, JAVA_HOME: '/nonexistent/jdk' } }).catch((e: unknown) => e);
    expect((error as SetupProblem).code).toBe('java_missing');
    expect((error as Error).message).toContain('/nonexistent/jdk/bin/java could not be run');
  });

  it('`npm start` without java exits 1 with the advice and no stack trace', async () => {
    const dataDir = tmp('tollgate-nojava-data-');
    dirs.push(dataDir);
    const out = await npmStart({ PATH: pathWithoutJava(), TOLLGATE_DATA_DIR: dataDir, PORT: '0' });
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^tollgate: could not start: DynamoDB Local \(the local database\) runs on Java/);
    expect(out.stderr).toContain('openjdk-17-jdk-headless');
    expect(out.stderr).not.toMatch(STACK_FRAME);
    expect(out.stderr).not.toContain('ENOENT');
  }, 120_000);
});

describe('a port taken', () => {
  let held: Awaited<ReturnType<typeof occupy>>;
  beforeAll(async () => {
    held = await occupy();
  });
  afterAll(async () => {
    await held?.close();
  });

  it('checkPort tells a free port from a taken one', async () => {
    expect(await checkPort(held.port, '127.0.0.1')).toBe('taken');
    const other = await occupy();
    await other.close();
    expect(await checkPort(other.port, '127.0.0.1')).toBe('free');
  });

  it('`npm start` on a taken HTTP port names the port, the process holding it and PORT, before starting any engine', async () => {
    const dataDir = tmp('tollgate-port-data-');
    dirs.push(dataDir);
    const out = await npmStart({ PATH: process.env.PATH ?? '', TOLLGATE_DATA_DIR: dataDir, PORT: String(held.port) });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`Port ${held.port} on 127.0.0.1 (the HTTP API) is already in use`);
    // This test process holds it; on Linux the advice says so.
    if (process.platform === 'linux') expect(out.stderr).toContain(`by pid ${process.pid} (`);
    expect(out.stderr).toContain('PORT=<port> npm start');
    expect(out.stderr).not.toMatch(STACK_FRAME);
    // Said before any engine started: no database files, no lock left behind.
    expect(existsSync(join(dataDir, 'dynamodb'))).toBe(false);
    expect(existsSync(join(dataDir, 'gateway.lock'))).toBe(false);
  }, 90_000);

  it('DynamoDB Local on a taken port names it and TOLLGATE_DYNAMODB_PORT', async () => {
    const error = await startDynamo({ port: held.port }).catch((e: unknown) => e);
    expect((error as SetupProblem).code).toBe('port_taken');
    expect((error as Error).message).toContain(`Port ${held.port} on 127.0.0.1 (DynamoDB Local, the local database) is already in use`);
    expect((error as Error).message).toContain('TOLLGATE_DYNAMODB_PORT=<port>');
  });

  it('the devnet on a taken port names it and TOLLGATE_DEVNET_PORT, without talking to what holds it', async () => {
    const error = await startDevnet({ port: held.port }).catch((e: unknown) => e);
    expect((error as SetupProblem).code).toBe('port_taken');
    expect((error as Error).message).toContain(`Port ${held.port} on 127.0.0.1 (the EVM devnet (anvil) RPC) is already in use`);
    expect((error as Error).message).toContain('TOLLGATE_DEVNET_PORT=<port>');
  });

  it('a port that is no number is a setting problem, said before anything starts', async () => {
    const out = await npmStart({ PATH: process.env.PATH ?? '', TOLLGATE_DATA_DIR: tmp('tollgate-badport-'), TOLLGATE_DEVNET_PORT: '85x45' });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('TOLLGATE_DEVNET_PORT=85x45 is not a TCP port number');
  }, 90_000);
});

describe('anvil missing', () => {
  /** A folder holding an executable named anvil (a stand-in: only its presence is checked here). */
  function fakeAnvilDir(): string {
    const dir = tmp('tollgate-anvil-');
    dirs.push(dir);
    writeFileSync(join(dir, 'anvil'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(dir, 'anvil'), 0o755);
    return dir;
  }
  const noPackage = () => null;

  it('on another platform, without anvil on PATH: names the platform, the Foundry install line and ANVIL_BIN', () => {
    let error: unknown;
    try {
      findAnvil({ env: { PATH: pathWithoutJava() }, platform: 'darwin', arch: 'arm64', packageBinary: () => '/should/not/be/used' });
    } catch (e) {
      error = e;
    }
    expect((error as SetupProblem).code).toBe('anvil_missing');
    const text = (error as Error).message;
    expect(text).toContain('runs on Linux x64 only, and this machine is darwin arm64');
    expect(text).toContain('curl -L https://foundry.paradigm.xyz | bash && foundryup');
    expect(text).toContain('ANVIL_BIN=/path/to/anvil npm start');
  });

  it('on Windows the advice points at WSL or the release downloads', () => {
    expect(() => findAnvil({ env: { PATH: '' }, platform: 'win32', arch: 'x64', packageBinary: noPackage })).toThrow(/WSL or Git Bash[\s\S]*foundry-rs\/foundry\/releases/);
  });

  it('uses an anvil on PATH when the package binary is absent, and ANVIL_BIN before either', () => {
    const dir = fakeAnvilDir();
    expect(findAnvil({ env: { PATH: dir }, platform: 'darwin', arch: 'arm64', packageBinary: noPackage })).toBe(join(dir, 'anvil'));
    expect(findAnvil({ env: { PATH: dir }, platform: 'linux', arch: 'x64', packageBinary: noPackage })).toBe(join(dir, 'anvil'));
    const other = fakeAnvilDir();
    expect(findAnvil({ env: { PATH: dir, ANVIL_BIN: join(other, 'anvil') }, platform: 'linux', arch: 'x64', packageBinary: noPackage })).toBe(join(other, 'anvil'));
  });

  it('prefers the bundled binary on Linux x64, and says so when even that is missing', () => {
    const dir = fakeAnvilDir();
    expect(findAnvil({ env: { PATH: '' }, platform: 'linux', arch: 'x64', packageBinary: () => join(dir, 'anvil') })).toBe(join(dir, 'anvil'));
    expect(() => findAnvil({ env: { PATH: '' }, platform: 'linux', arch: 'x64', packageBinary: noPackage })).toThrow(/@foundry-rs\/anvil-linux-amd64 \(its bundled binary\) is not installed[\s\S]*npm install/);
  });

  it('an ANVIL_BIN that is not a file is refused with advice', () => {
    expect(() => findAnvil({ env: { ANVIL_BIN: '/nonexistent/anvil' }, platform: 'linux', arch: 'x64', packageBinary: noPackage })).toThrow(/ANVIL_BIN is set to \/nonexistent\/anvil, which is not an executable file/);
  });

  it('the devnet engine gives the advice, and spawns nothing, when no anvil can be found', async () => {
    const error = await startDevnet({ env: { PATH: pathWithoutJava(), ANVIL_BIN: join(dirname(pathWithoutJava()), 'missing-anvil') } }).catch((e: unknown) => e);
    expect((error as SetupProblem).code).toBe('anvil_missing');
  });
});

describe('the private-address override setting', () => {
  it('is on for 1 or true, off when unset, 0 or false, and anything else is advice', () => {
    for (const on of ['1', 'true', 'TRUE', ' 1 ']) expect(postbackAllowPrivate({ TOLLGATE_POSTBACK_ALLOW_PRIVATE: on })).toBe(true);
    for (const off of [undefined, '', '0', 'false']) expect(postbackAllowPrivate({ TOLLGATE_POSTBACK_ALLOW_PRIVATE: off })).toBe(false);
    expect(() => postbackAllowPrivate({ TOLLGATE_POSTBACK_ALLOW_PRIVATE: 'yes' })).toThrow(SetupProblem);
  });
});
