/**
 * The devnet keeps its RPC port across restarts of `npm start` on one data folder, so a wallet
 * pointed at it keeps working; when the kept port is taken the start picks another and says so,
 * and the kept one comes back once it is free. Real gateways, real anvil, a real listener
 * holding the port.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { devnetPortPath } from '../../lib/local/dev-defaults';
import { chooseDevnetPort, keepDevnetPort } from '../../lib/local/devnet-port';
import { rpc } from '../../lib/local/engines/devnet';
import { SetupProblem } from '../../lib/local/engines/setup-advice';
import { type Gateway, startGateway } from '../../lib/local/gateway';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'tollgate-devnet-port-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function hold(port = 0): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer();
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ok());
  });
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('no port');
  return { port: address.port, close: () => new Promise((ok) => server.close(() => ok())) };
}

const portOf = (url: string) => Number(new URL(url).port);

describe('choosing the devnet port', () => {
  it('reuses the kept port while it is free; when taken, picks another, says so, and keeps the old one', async () => {
    const dataDir = tmp();
    const first = await chooseDevnetPort(dataDir);
    expect(first.note).toBeNull();
    keepDevnetPort(dataDir, first.port);
    expect(JSON.parse(readFileSync(devnetPortPath(dataDir), 'utf8'))).toEqual({ port: first.port });
    expect(await chooseDevnetPort(dataDir)).toEqual({ port: first.port, note: null });

    const held = await hold(first.port);
    try {
      const moved = await chooseDevnetPort(dataDir);
      expect(moved.port).not.toBe(first.port);
      expect(moved.note).toContain(`The devnet's RPC port ${first.port} is in use`);
      expect(moved.note).toContain(`point your wallet at http://127.0.0.1:${moved.port}`);
      expect(moved.note).toContain('TOLLGATE_DEVNET_PORT');
    } finally {
      await held.close();
    }
    // Free again: the kept port is back.
    expect((await chooseDevnetPort(dataDir)).port).toBe(first.port);
  });

  it('a first start takes the preferred port (8545, wallets\u2019 localhost preset) when it is free', async () => {
    // A free port stands in for 8545: other test files start gateways (which prefer 8545) in parallel.
    const probe = await hold();
    await probe.close();
    expect((await chooseDevnetPort(tmp(), undefined, probe.port)).port).toBe(probe.port);
  });

  it('a port asked for (TOLLGATE_DEVNET_PORT) that is taken stops the start with advice', async () => {
    const held = await hold();
    try {
      const error = await chooseDevnetPort(tmp(), held.port).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SetupProblem);
      expect((error as Error).message).toContain(`Port ${held.port} on 127.0.0.1 (the EVM devnet (anvil) RPC) is already in use`);
    } finally {
      await held.close();
    }
  });
});

describe('npm start on one data folder, twice', () => {
  let gateway: Gateway | null = null;
  afterAll(async () => {
    await gateway?.stop();
  });

  it('the devnet answers at the same URL after a restart, on the same chain', async () => {
    const dataDir = tmp();
    const options = { dataDir, port: 0, tronBlockIntervalMs: null, env: { LOG_LEVEL: 'warn' } };
    gateway = await startGateway(options);
    const url = gateway.devnet.rpc_url;
    const token = gateway.devnet.tokens.USDT_ERC20;
    expect(existsSync(devnetPortPath(dataDir))).toBe(true);
    expect(gateway.notices).toEqual([]);
    await gateway.stop();
    gateway = null;

    gateway = await startGateway(options);
    expect(gateway.devnet.rpc_url).toBe(url);
    expect(gateway.notices).toEqual([]);
    // The same chain behind it: the token deployed on the first start is still there.
    expect(gateway.devnet.tokens.USDT_ERC20).toBe(token);
    expect(await rpc<string>(url, 'eth_getCode', [token, 'latest'])).not.toBe('0x');
    expect(portOf(url)).toBe(JSON.parse(readFileSync(devnetPortPath(dataDir), 'utf8')).port);
  }, 180_000);
});
