/**
 * The local EVM devnet engine: anvil (from npm, no download at run time) on a free port, with a
 * USDT-like test token (lib/local/devnet/TestUSDT.sol, compiled offline with solc-js) deployed
 * and a payer account funded with ETH and USDT. The chain persists in a state file for
 * `npm start`; tests run it in memory and make reorgs with snapshot / mine / revert.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContractFactory, getAddress, getCreateAddress, Interface, JsonRpcProvider, Network, Wallet } from 'ethers';
import { type CompiledContract, compileContract, compileDisperse } from '../../contracts/compile';
import { freePort, LOOPBACK_HOST } from './dynamodb';
import { ADDRESS_IN_USE, ANVIL_PACKAGE, checkPort, findAnvil, portTaken } from './setup-advice';

export const DEVNET_CHAIN_ID = 31337;
export const DEVNET_START_TIMEOUT_MS = 15_000;
/** How long anvil gets to dump its state and exit after SIGTERM before it is killed. */
export const DEVNET_STOP_GRACE_MS = 5_000;
/** How often anvil writes the state file (seconds); it also writes it on a clean exit. */
export const DEVNET_STATE_INTERVAL_SECONDS = 5;
export const RPC_TIMEOUT_MS = 10_000;
/** With interval mining a receipt takes up to one block time; this bounds a stuck transaction. */
export const RECEIPT_TIMEOUT_MS = 30_000;
const RECEIPT_POLL_INTERVAL_MS = 25;
const READY_POLL_INTERVAL_MS = 50;
/** One readiness probe; short, so a port held by something that never answers fails fast. */
const READY_ATTEMPT_TIMEOUT_MS = 1_000;
const STDERR_TAIL_CHARS = 2_000;

/** anvil's default mnemonic; its accounts hold 10,000 ETH each at genesis. */
export const ANVIL_MNEMONIC = 'test test test test test test test test test test test junk';
/** Account 0 of ANVIL_MNEMONIC (m/44'/60'/0'/0/0): deploys and owns the test tokens. */
export const DEPLOYER_PRIVATE_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
/** Account 1 of ANVIL_MNEMONIC (m/44'/60'/0'/0/1): the payer that demos and tests pay invoices from. */
export const PAYER_PRIVATE_KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';

export const TEST_TOKEN_DECIMALS = 6;
/** 1,000,000,000 USDT in base units, minted to the payer when the token is deployed. */
export const PAYER_USDT_MINT_BASE_UNITS = 1_000_000_000n * 10n ** 6n;
/** Below this the payer is topped up again on a reused chain. */
export const PAYER_MIN_USDT_BASE_UNITS = 1_000_000n * 10n ** 6n;
export const PAYER_MIN_ETH_WEI = 1_000n * 10n ** 18n;
const PAYER_TOPUP_ETH_WEI = 10_000n * 10n ** 18n;
/** The mint call goes out before its contract is mined, so it cannot be estimated; ~70k is used. */
const MINT_GAS_LIMIT = 150_000n;

export type CompiledToken = CompiledContract;

export type Devnet = {
  rpcUrl: string;
  chainId: typeof DEVNET_CHAIN_ID;
  pid: number | undefined;
  tokens: { USDT_ERC20: string };
  /** The mass payout contract (lib/contracts/TollgateDisperse.sol), deployed with the token. */
  disperseContract: string;
  payerPrivateKey: string;
  payerAddress: string;
  /** Deploys another TestUSDT (same code, same symbol by default) and mints to the payer: a fake token. */
  deployFakeToken(symbol?: string): Promise<string>;
  stop(): Promise<void>;
};

export type DevnetOptions = {
  port?: number;
  /** Interval mining every N seconds; null mines one block per transaction (tests, with `mine`). Default 1. */
  blockTimeSeconds?: number | null;
  /** Persist the chain here (anvil --state); a sidecar `<stateFile>.tokens.json` records the token. */
  stateFile?: string;
  /** Where ANVIL_BIN and PATH are read (default process.env). */
  env?: Record<string, string | undefined>;
};

// ---------------------------------------------------------------------------------------------
// Compiling the test token (lib/contracts/compile.ts: offline solc-js, cached)
// ---------------------------------------------------------------------------------------------

const requireCjs = createRequire(import.meta.url);
const TOKEN_SOURCE_PATH = fileURLToPath(new URL('../devnet/TestUSDT.sol', import.meta.url));

/** TestUSDT.sol compiled with the bundled solc-js (offline; cached in memory and on disk). */
export function compileTestToken(): CompiledToken {
  return compileContract(TOKEN_SOURCE_PATH, 'TestUSDT');
}

// ---------------------------------------------------------------------------------------------
// JSON-RPC helpers (also used by tests)
// ---------------------------------------------------------------------------------------------

/** One JSON-RPC call over plain fetch; throws on a transport error, an HTTP error or an RPC error. */
export function rpc<T = unknown>(rpcUrl: string, method: string, params: unknown[] = []): Promise<T> {
  return rpcWithSignal<T>(rpcUrl, method, params, AbortSignal.timeout(RPC_TIMEOUT_MS));
}

async function rpcWithSignal<T>(rpcUrl: string, method: string, params: unknown[], signal: AbortSignal): Promise<T> {
  const res = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method}: HTTP ${res.status} ${text.slice(0, 200)}`);
  const body = JSON.parse(text) as { result?: T; error?: { code: number; message: string; data?: unknown } };
  if (body.error) throw new Error(`${method}: RPC error ${body.error.code} ${body.error.message}`);
  return body.result as T;
}

/** Mines `blocks` blocks at once (anvil_mine), whatever the mining mode. */
export async function mine(rpcUrl: string, blocks = 1): Promise<void> {
  if (!Number.isInteger(blocks) || blocks < 1) throw new Error(`mine: blocks must be a positive integer, got ${blocks}`);
  await rpc(rpcUrl, 'anvil_mine', [`0x${blocks.toString(16)}`]);
}

/** Takes a snapshot of the whole chain; returns its id for `revert`. */
export async function snapshot(rpcUrl: string): Promise<string> {
  return rpc<string>(rpcUrl, 'evm_snapshot');
}

/**
 * Reverts the chain to a snapshot: blocks after it disappear with their logs and receipts; mine
 * again to build a different chain at the same heights (a reorg). anvil drops the snapshot (and
 * later ones) on revert, so take a new one to revert twice.
 */
export async function revert(rpcUrl: string, id: string): Promise<void> {
  const reverted = await rpc<boolean>(rpcUrl, 'evm_revert', [id]);
  if (!reverted) throw new Error(`evm_revert: unknown snapshot ${id}`);
}

type Receipt = { status: string; contractAddress: string | null; blockNumber: string };

async function waitForReceipt(rpcUrl: string, txHash: string): Promise<Receipt> {
  const deadline = Date.now() + RECEIPT_TIMEOUT_MS;
  for (;;) {
    const receipt = await rpc<Receipt | null>(rpcUrl, 'eth_getTransactionReceipt', [txHash]);
    if (receipt) {
      if (receipt.status !== '0x1') throw new Error(`transaction ${txHash} reverted`);
      return receipt;
    }
    if (Date.now() > deadline) throw new Error(`transaction ${txHash} was not mined within ${RECEIPT_TIMEOUT_MS} ms`);
    await sleep(RECEIPT_POLL_INTERVAL_MS);
  }
}

// ---------------------------------------------------------------------------------------------
// Sending transactions
// ---------------------------------------------------------------------------------------------

/** Sends from one account go one at a time per process, so two callers never take the same nonce. */
const sendQueues = new Map<string, Promise<unknown>>();

function serialized<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = sendQueues.get(key) ?? Promise.resolve();
  const next = previous.catch(() => {}).then(task);
  sendQueues.set(key, next);
  const forget = () => {
    if (sendQueues.get(key) === next) sendQueues.delete(key);
  };
  next.then(forget, forget);
  return next;
}

type TxRequest = { to?: string; data?: string; value?: bigint; gasLimit?: bigint };

/**
 * Signs and broadcasts transactions from one key, in order, without waiting for them to be mined.
 * The nonce is read as anvil's `pending` count inside the per-account queue: it counts the pool,
 * so back-to-back sends in one block are fine, and unlike a local counter it stays right after
 * a snapshot revert rewinds the account.
 */
async function broadcast(rpcUrl: string, privateKey: string, build: (firstNonce: number, from: string) => TxRequest[]): Promise<string[]> {
  const provider = new JsonRpcProvider(rpcUrl, Network.from(DEVNET_CHAIN_ID), { staticNetwork: true });
  try {
    const wallet = new Wallet(privateKey, provider);
    return await serialized(`${rpcUrl}|${wallet.address}`, async () => {
      const first = Number(BigInt(await rpc<string>(rpcUrl, 'eth_getTransactionCount', [wallet.address, 'pending'])));
      const hashes: string[] = [];
      for (const [i, tx] of build(first, wallet.address).entries()) hashes.push((await wallet.sendTransaction({ ...tx, nonce: first + i })).hash);
      return hashes;
    });
  } finally {
    provider.destroy();
  }
}

export type DevnetPayment = {
  /** Token contract, or null for native ETH. */
  token: string | null;
  to: string;
  /** Base units: wei for ETH, 10^-6 USDT for the test token. */
  amount: bigint;
};

/**
 * USDT's transfer returns nothing; ethers would fail decoding a bool that is not there, so this
 * fragment declares no outputs (it also works for standard tokens: the bool is ignored).
 */
const TRANSFER_ABI = new Interface(['function transfer(address to, uint256 value)']);

/** Pays ETH or a token from the given key and waits for one confirmation. */
export async function devnetPay(rpcUrl: string, payerPrivateKey: string, payment: DevnetPayment): Promise<{ txHash: string }> {
  const to = getAddress(payment.to);
  const tx: TxRequest =
    payment.token === null
      ? { to, value: payment.amount }
      : { to: getAddress(payment.token), data: TRANSFER_ABI.encodeFunctionData('transfer', [to, payment.amount]) };
  const [txHash] = await broadcast(rpcUrl, payerPrivateKey, () => [tx]);
  await waitForReceipt(rpcUrl, txHash);
  return { txHash };
}

/**
 * Deploys a TestUSDT and mints to `mintTo`: both transactions are sent back to back (the mint
 * to the predicted address) so that with interval mining they land in the same block.
 */
async function deployToken(rpcUrl: string, name: string, symbol: string, mintTo: string, mintAmount: bigint): Promise<string> {
  const { abi, bytecode } = compileTestToken();
  const factory = new ContractFactory(abi, bytecode);
  const deploy = await factory.getDeployTransaction(name, symbol);
  const mintData = factory.interface.encodeFunctionData('mint', [mintTo, mintAmount]);
  let predicted = '';
  const [deployHash, mintHash] = await broadcast(rpcUrl, DEPLOYER_PRIVATE_KEY, (nonce, from) => {
    predicted = getCreateAddress({ from, nonce });
    return [{ data: deploy.data }, { to: predicted, data: mintData, gasLimit: MINT_GAS_LIMIT }];
  });
  const deployed = await waitForReceipt(rpcUrl, deployHash);
  await waitForReceipt(rpcUrl, mintHash);
  // Only another process sending from the deployer could break the prediction; the receipt is the truth.
  if (!deployed.contractAddress || getAddress(deployed.contractAddress) !== predicted) {
    throw new Error(`token deployed at ${deployed.contractAddress}, not at the predicted ${predicted}`);
  }
  return predicted;
}

// ---------------------------------------------------------------------------------------------
// The engine
// ---------------------------------------------------------------------------------------------

/** The anvil to run (ANVIL_BIN, the npm package's binary on Linux x64, or one on PATH), or advice for this platform. */
export function anvilBinary(env: Record<string, string | undefined> = process.env): string {
  return findAnvil({
    env,
    platform: process.platform,
    arch: process.arch,
    packageBinary: () => {
      try {
        return join(dirname(requireCjs.resolve(`${ANVIL_PACKAGE.name}/package.json`)), 'bin', 'anvil');
      } catch {
        return null;
      }
    },
  });
}

/** How to choose the devnet's RPC port, for the advice when the one asked for is taken. */
export const DEVNET_PORT_ENV = 'TOLLGATE_DEVNET_PORT';

/** What the state file's chain holds: the token and the disperse contract, each with the sha256 of the bytecode deployed. */
type Sidecar = { chainId: number; USDT_ERC20: string; compiledSha256: string; disperse?: string; disperseSha256?: string };

const sidecarPath = (stateFile: string) => `${stateFile}.tokens.json`;
const compiledSha256 = () => createHash('sha256').update(compileTestToken().bytecode).digest('hex');
const disperseSha256 = () => createHash('sha256').update(compileDisperse().bytecode).digest('hex');

function readSidecar(stateFile: string): Sidecar | null {
  try {
    const s = JSON.parse(readFileSync(sidecarPath(stateFile), 'utf8')) as Partial<Sidecar>;
    return s.chainId === DEVNET_CHAIN_ID && typeof s.USDT_ERC20 === 'string' && typeof s.compiledSha256 === 'string' ? (s as Sidecar) : null;
  } catch {
    return null;
  }
}

function writeSidecar(stateFile: string, sidecar: Sidecar): void {
  const tmp = `${sidecarPath(stateFile)}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(sidecar, null, 2)}\n`);
  renameSync(tmp, sidecarPath(stateFile));
}

/** SIGTERM (anvil then writes its state file), SIGKILL after the grace period; resolves on exit. */
function terminate(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), DEVNET_STOP_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts anvil, waits until it answers, and makes sure the token and the funded payer exist
 * (reusing them from the state file when it holds them). Never leaves a child behind on failure.
 */
export async function startDevnet(options: DevnetOptions = {}): Promise<Devnet> {
  const port = options.port ?? (await freePort());
  const taken = (denied = false) => portTaken({ port, host: LOOPBACK_HOST, what: 'the EVM devnet (anvil) RPC', choose: `${DEVNET_PORT_ENV}=<port> npm start`, denied });
  // A port asked for is checked first: another node answering on it would pass for this one.
  if (options.port !== undefined) {
    const check = await checkPort(port, LOOPBACK_HOST);
    if (check !== 'free') throw taken(check === 'denied');
  }
  const anvil = anvilBinary(options.env);
  const blockTimeSeconds = options.blockTimeSeconds === undefined ? 1 : options.blockTimeSeconds;
  const args = ['--prune-history', '--silent', '--host', '127.0.0.1', '--port', String(port), '--chain-id', String(DEVNET_CHAIN_ID)];
  if (blockTimeSeconds !== null) args.push('--block-time', String(blockTimeSeconds));
  if (options.stateFile) {
    // --prune-history and --state work together (checked with anvil 1.7.1: code, balances and
    // block height survive a restart). --prune-history only stops anvil keeping old states in
    // memory or its disk cache; the --state file holds the latest state plus block headers.
    // Note that the file grows ~1.7 KB per block (~150 MB a day at one block a second).
    mkdirSync(dirname(options.stateFile), { recursive: true });
    args.push('--state', options.stateFile, '--state-interval', String(DEVNET_STATE_INTERVAL_SECONDS));
  }
  // Compile before spawning: no child to clean up if the source does not compile.
  compileTestToken();
  compileDisperse();

  const child = spawn(anvil, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  // If this process exits without calling stop(), take anvil with it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-STDERR_TAIL_CHARS);
  });
  const rpcUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await terminate(child);
    process.removeListener('exit', killOnExit);
  };

  // Set when anvil cannot start or dies early; 'close' comes after stderr is fully read.
  let failure: Error | null = null;
  const died = new AbortController();
  child.once('error', (e) => {
    failure ??= new Error(`anvil could not start (${anvil}): ${e.message}`);
    died.abort();
  });
  child.once('close', (code, signal) => {
    failure ??= ADDRESS_IN_USE.test(stderr) ? taken() : new Error(`anvil exited (${signal ?? `code ${code}`}) before it was ready: ${stderr.trim() || '(no stderr)'}`);
    died.abort();
  });

  try {
    const deadline = Date.now() + DEVNET_START_TIMEOUT_MS;
    for (;;) {
      if (failure) throw failure;
      const probe = AbortSignal.any([AbortSignal.timeout(READY_ATTEMPT_TIMEOUT_MS), died.signal]);
      const chainId = await rpcWithSignal<string>(rpcUrl, 'eth_chainId', [], probe).catch((e: unknown) => {
        if (Date.now() > deadline) throw new Error(`anvil did not answer within ${DEVNET_START_TIMEOUT_MS} ms: ${String(e)}; stderr: ${stderr.trim()}`);
        return null;
      });
      if (chainId !== null) {
        if (Number(chainId) !== DEVNET_CHAIN_ID) throw new Error(`${rpcUrl} answers chain id ${Number(chainId)}, not ${DEVNET_CHAIN_ID}`);
        break;
      }
      await sleep(READY_POLL_INTERVAL_MS);
    }
    // Something else may have answered on a port anvil then failed to bind.
    if (failure) throw failure;

    const payerAddress = new Wallet(PAYER_PRIVATE_KEY).address;
    const ethBalance = BigInt(await rpc<string>(rpcUrl, 'eth_getBalance', [payerAddress, 'latest']));
    if (ethBalance < PAYER_MIN_ETH_WEI) await rpc(rpcUrl, 'anvil_setBalance', [payerAddress, `0x${PAYER_TOPUP_ETH_WEI.toString(16)}`]);

    const usdt = await ensureToken(rpcUrl, options.stateFile, payerAddress);
    const disperseContract = await ensureDisperse(rpcUrl, options.stateFile);

    return {
      rpcUrl,
      chainId: DEVNET_CHAIN_ID,
      pid: child.pid,
      tokens: { USDT_ERC20: usdt },
      disperseContract,
      payerPrivateKey: PAYER_PRIVATE_KEY,
      payerAddress,
      deployFakeToken: (symbol = 'USDT') => deployToken(rpcUrl, `Fake ${symbol} (devnet)`, symbol, payerAddress, PAYER_USDT_MINT_BASE_UNITS),
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** The USDT address: reused from the state file's sidecar when its code is on chain, else deployed. */
async function ensureToken(rpcUrl: string, stateFile: string | undefined, payerAddress: string): Promise<string> {
  const sha = compiledSha256();
  const recorded = stateFile ? readSidecar(stateFile) : null;
  if (recorded && recorded.compiledSha256 === sha) {
    const code = await rpc<string>(rpcUrl, 'eth_getCode', [recorded.USDT_ERC20, 'latest']);
    if (code !== '0x') {
      const balanceOf = new Interface(['function balanceOf(address) view returns (uint256)']);
      const data = balanceOf.encodeFunctionData('balanceOf', [payerAddress]);
      const balance = BigInt(await rpc<string>(rpcUrl, 'eth_call', [{ to: recorded.USDT_ERC20, data }, 'latest']));
      if (balance < PAYER_MIN_USDT_BASE_UNITS) {
        const mint = new Interface(['function mint(address,uint256)']).encodeFunctionData('mint', [payerAddress, PAYER_USDT_MINT_BASE_UNITS]);
        const [hash] = await broadcast(rpcUrl, DEPLOYER_PRIVATE_KEY, () => [{ to: recorded.USDT_ERC20, data: mint }]);
        await waitForReceipt(rpcUrl, hash);
      }
      return recorded.USDT_ERC20;
    }
  }
  const address = await deployToken(rpcUrl, 'Tether USD (devnet)', 'USDT', payerAddress, PAYER_USDT_MINT_BASE_UNITS);
  if (stateFile) writeSidecar(stateFile, { chainId: DEVNET_CHAIN_ID, USDT_ERC20: address, compiledSha256: sha });
  return address;
}

/** The disperse contract: reused from the state file's sidecar when the same bytecode is on chain, else deployed by the deployer account. */
async function ensureDisperse(rpcUrl: string, stateFile: string | undefined): Promise<string> {
  const sha = disperseSha256();
  const recorded = stateFile ? readSidecar(stateFile) : null;
  if (recorded?.disperse && recorded.disperseSha256 === sha && (await rpc<string>(rpcUrl, 'eth_getCode', [recorded.disperse, 'latest'])) !== '0x') return recorded.disperse;
  const address = await deployContract(rpcUrl, compileDisperse());
  if (stateFile && recorded) writeSidecar(stateFile, { ...recorded, disperse: address, disperseSha256: sha });
  return address;
}

/** Deploys a contract without constructor arguments from the deployer account; returns its address. */
export async function deployContract(rpcUrl: string, compiled: CompiledContract): Promise<string> {
  let predicted = '';
  const [hash] = await broadcast(rpcUrl, DEPLOYER_PRIVATE_KEY, (nonce, from) => {
    predicted = getCreateAddress({ from, nonce });
    return [{ data: compiled.bytecode }];
  });
  const deployed = await waitForReceipt(rpcUrl, hash);
  if (!deployed.contractAddress || getAddress(deployed.contractAddress) !== predicted) throw new Error(`contract deployed at ${deployed.contractAddress}, not at the predicted ${predicted}`);
  return predicted;
}
