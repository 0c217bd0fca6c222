/**
 * Nothing in the local runtime listens beyond loopback (DESIGN §10): the gateway's HTTP API,
 * DynamoDB Local and the SQS engine each bind 127.0.0.1. Checked two ways on the real engines:
 * the kernel's socket table (Linux /proc/net/tcp{,6}) and a connection attempt through every
 * non-loopback address of this machine.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../lib/local/engines/dynamodb';
import { type LocalQueues, startQueues } from '../../lib/local/engines/queues';
import { type Gateway, startGateway } from '../../lib/local/gateway';
import { classifyAddress } from '../../shared/domain/network';

/** /proc/net/tcp6 writes an address as four 32-bit words, each in host (little-endian) order. */
const procAddress = (hex: string): string => {
  const bytes = (word: string) => word.match(/../g)?.reverse() ?? [];
  if (hex.length === 8) return bytes(hex).map((b) => Number.parseInt(b, 16)).join('.');
  const b = (hex.match(/.{8}/g) ?? []).flatMap(bytes);
  const groups = Array.from({ length: 8 }, (_, i) => (Number.parseInt(b[2 * i] + b[2 * i + 1], 16)).toString(16));
  return groups.join(':');
};

const TCP_LISTEN = '0A';

/** The local addresses with a socket listening on `port`, from the kernel's tables. */
function listeningAddresses(port: number): string[] {
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((f) => f.length > 3 && f[3] === TCP_LISTEN && Number.parseInt(f[1].split(':')[1], 16) === port)
      .map((f) => procAddress(f[1].split(':')[0])),
  );
}

/** This machine's own addresses that are not loopback: what another host on the network would dial. */
const externalAddresses = () =>
  Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((a) => !a.internal)
    .map((a) => (a.family === 'IPv6' && a.scopeid ? `${a.address}%${a.scopeid}` : a.address));

const connects = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host, port, timeout: 1_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });

async function expectLoopbackOnly(name: string, port: number) {
  expect(await connects('127.0.0.1', port), `${name} answers on loopback`).toBe(true);
  if (existsSync('/proc/net/tcp')) {
    const bound = listeningAddresses(port);
    expect(bound.length, `${name} has a listening socket`).toBeGreaterThan(0);
    for (const address of bound) expect(classifyAddress(address), `${name} listens on ${address}`).toBe('loopback');
  }
  for (const address of externalAddresses()) expect(await connects(address, port), `${name} via ${address}`).toBe(false);
}

const portOf = (url: string) => Number(new URL(url).port);
const ROOT = join(import.meta.dirname, '..', '..');

describe('local engines listen on loopback only', () => {
  let queues: LocalQueues;
  let gateway: Gateway;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tollgate-bind-'));
    queues = await startQueues();
    gateway = await startGateway({ dataDir, port: 0, inMemory: true, env: { LOG_LEVEL: 'silent' } });
  });
  afterAll(async () => {
    await queues?.stop();
    await gateway?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('parses the kernel socket table', () => {
    expect(procAddress('0100007F')).toBe('127.0.0.1');
    expect(procAddress('0000000000000000FFFF00000100007F')).toBe('0:0:0:0:0:ffff:7f00:1');
    expect(procAddress('00000000000000000000000001000000')).toBe('0:0:0:0:0:0:0:1');
    expect(classifyAddress(procAddress('00000000000000000000000000000000'))).toBe('unspecified');
  });

  it('DynamoDB Local (the tests’ engine)', async () => {
    await expectLoopbackOnly('DynamoDB Local', portOf(inject('dynamoEndpoint')));
  });

  it('the SQS engine', async () => {
    await expectLoopbackOnly('fauxqs', portOf(queues.endpoint));
  });

  it('the gateway’s HTTP API and the engines it started', async () => {
    await expectLoopbackOnly('gateway HTTP', gateway.port);
    await expectLoopbackOnly('gateway DynamoDB Local', portOf(process.env.DYNAMODB_ENDPOINT ?? ''));
    await expectLoopbackOnly('gateway SQS', portOf(process.env.SQS_ENDPOINT ?? ''));
    expect(gateway.host).toBe('127.0.0.1');
  });
});

describe('HOST opens the gateway on purpose', () => {
  it('`npm start` with HOST=0.0.0.0 listens on every interface and warns at start', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-host-'));
    const port = await freePort();
    // A clean environment: this file's own gateway has written its engines' endpoints into process.env.
    const child = spawn(process.execPath, ['--import', 'tsx', 'lib/local/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), HOST: '0.0.0.0', TOLLGATE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`gateway did not start: ${output}`)), 60_000);
        child.stdout?.on('data', () => {
          if (output.includes('Tollgate is running')) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`gateway exited with ${code}: ${output}`));
        });
      });
      expect(output).toMatch(/WARNING: HOST=0\.0\.0\.0: the gateway's HTTP API \(admin routes included\) is reachable from other machines/);
      if (existsSync('/proc/net/tcp')) expect(listeningAddresses(port).map((a) => classifyAddress(a))).toContain('unspecified');
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        await new Promise<void>((r) => {
          child.once('exit', () => r());
          child.kill('SIGTERM');
        });
      }
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
