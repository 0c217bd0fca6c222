/**
 * The devnet keeps its RPC port across restarts: a wallet (MetaMask's "Localhost 8545", a
 * script) pointed at it keeps working. The port is kept in the data folder; it is reused when
 * free, else another is picked and the start says so. A first start tries anvil's usual 8545.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { devnetPortPath } from './dev-defaults';
import { DEVNET_PORT_ENV } from './engines/devnet';
import { freePort, LOOPBACK_HOST } from './engines/dynamodb';
import { checkPort, portHolder, portTaken } from './engines/setup-advice';

/** anvil's and hardhat's default, and what wallets' "localhost" network presets point at. */
export const DEVNET_PREFERRED_RPC_PORT = 8545;

export type DevnetPortChoice = {
  port: number;
  /** Said at start when the port is not the one kept (it was taken); null when nothing changed. */
  note: string | null;
};

function keptPort(dataDir: string): number | null {
  try {
    const { port } = JSON.parse(readFileSync(devnetPortPath(dataDir), 'utf8')) as { port?: unknown };
    return typeof port === 'number' && Number.isInteger(port) && port > 0 && port <= 65535 ? port : null;
  } catch {
    return null;
  }
}

/**
 * The port for this start. `requested` (TOLLGATE_DEVNET_PORT) must be free, or the start stops
 * with advice; otherwise the kept port, else `preferred` (8545), else any free port.
 */
export async function chooseDevnetPort(dataDir: string, requested?: number, preferred = DEVNET_PREFERRED_RPC_PORT): Promise<DevnetPortChoice> {
  if (requested !== undefined) {
    const check = await checkPort(requested, LOOPBACK_HOST);
    if (check !== 'free') throw portTaken({ port: requested, host: LOOPBACK_HOST, what: 'the EVM devnet (anvil) RPC', choose: `${DEVNET_PORT_ENV}=<another port> npm start, or unset it`, denied: check === 'denied' });
    return { port: requested, note: null };
  }
  const kept = keptPort(dataDir);
  if (kept !== null) {
    if ((await checkPort(kept, LOOPBACK_HOST)) === 'free') return { port: kept, note: null };
    const holder = portHolder(kept);
    const port = await freePort();
    return {
      port,
      note: `The devnet's RPC port ${kept} is in use${holder ? ` by ${holder}` : ''}, so it listens on ${port} this time: point your wallet at http://${LOOPBACK_HOST}:${port} (chain id 31337), or free ${kept} and restart, or set ${DEVNET_PORT_ENV}.`,
    };
  }
  if ((await checkPort(preferred, LOOPBACK_HOST)) === 'free') return { port: preferred, note: null };
  return { port: await freePort(), note: null };
}

/** Keeps the port the devnet started on, for the next start (written atomically). */
export function keepDevnetPort(dataDir: string, port: number): void {
  const path = devnetPortPath(dataDir);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ port }, null, 2)}\n`);
  renameSync(tmp, path);
}
