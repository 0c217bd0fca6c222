/**
 * The local Tron network: the TronGrid simulator (lib/local/simulators/trongrid-simulator.ts) in
 * this process beside anvil, a block every 3 s, solidified 19 blocks behind as on Tron. It is a
 * simulator, not a node: no Tron node runs locally. Its chain lives in memory, so every start is a
 * fresh Tron chain (the gateway then moves the Tron watcher's checkpoint onto it: gateway.ts).
 */
import { DEVNET_PROFILES } from '../../../shared/domain/chains';
import { DEFAULT_SOLIDIFY_DEPTH, SIMULATED_TOKENS, startTronGridSimulator, TRON_PAYER_ADDRESS, TRON_PAYER_PRIVATE_KEY, type TronGridSimulator } from '../simulators/trongrid-simulator';

/** Tron's slot; the devnet profile's block time, so the payment page's estimate matches. */
export const TRON_BLOCK_INTERVAL_MS = DEVNET_PROFILES.tron.blockTimeMs;
/** Solidified 19 blocks behind the head, as on Tron (about a minute at 3 s a block). */
export const TRON_SOLIDIFY_DEPTH = DEFAULT_SOLIDIFY_DEPTH;
/** A payment is waited for until it is in a block; a few slots bound a stuck one. */
export const TRON_INCLUSION_TIMEOUT_MS = 30_000;
const INCLUSION_POLL_MS = 100;
const REQUEST_TIMEOUT_MS = 10_000;

export type TronDevnet = {
  /** The simulator's base URL: the TronGrid URL of the local chain settings. */
  apiUrl: string;
  /** The simulator's own test tokens (local contracts, not mainnet's), by Tollgate code. */
  tokens: { USDT_TRC20: string; USDD_TRC20: string };
  payerAddress: string;
  /** Hex, 0x-prefixed: the payer's key, for signing with tronweb or paying with `devnet pay`. */
  payerPrivateKey: string;
  simulator: TronGridSimulator;
  stop(): Promise<void>;
};

export async function startTronDevnet(options: { blockIntervalMs?: number | null } = {}): Promise<TronDevnet> {
  const simulator = await startTronGridSimulator({
    blockIntervalMs: options.blockIntervalMs === undefined ? TRON_BLOCK_INTERVAL_MS : options.blockIntervalMs,
    solidifyDepth: TRON_SOLIDIFY_DEPTH,
    // The banner of `npm start` says where Tron is; the simulator's own start line would repeat it.
    log: () => {},
  });
  return {
    apiUrl: simulator.url,
    tokens: { USDT_TRC20: SIMULATED_TOKENS.USDT.address, USDD_TRC20: SIMULATED_TOKENS.USDD.address },
    payerAddress: TRON_PAYER_ADDRESS,
    payerPrivateKey: TRON_PAYER_PRIVATE_KEY,
    simulator,
    stop: () => simulator.close(),
  };
}

export type TronPayment = {
  /** A TRC-20 contract the simulator knows (base58), or null for TRX. */
  token: string | null;
  to: string;
  /** Base units: sun for TRX, the token's smallest unit otherwise. */
  amount: bigint;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function postJson<T>(url: string, body: unknown): Promise<T> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${new URL(url).pathname}: HTTP ${res.status} ${text.slice(0, 200)}`);
  }
  if (!res.ok) throw new Error((parsed as { error?: string }).error ?? `${new URL(url).pathname}: HTTP ${res.status}`);
  return parsed as T;
}

/**
 * Pays TRX or a TRC-20 token from `fromPrivateKey` through the simulator's control API (the
 * simulator builds and signs the transaction as a wallet would), then waits until a block holds it,
 * as the EVM devnet waits for its receipt. Another process (the CLI) can call it: HTTP only.
 */
export async function tronDevnetPay(apiUrl: string, fromPrivateKey: string, payment: TronPayment): Promise<{ txHash: string }> {
  const { txid } = await postJson<{ txid: string }>(`${apiUrl}/_simulator/transfer`, {
    to: payment.to,
    amount: payment.amount.toString(),
    ...(payment.token === null ? {} : { token: payment.token }),
    from: fromPrivateKey,
  });
  const deadline = Date.now() + TRON_INCLUSION_TIMEOUT_MS;
  for (;;) {
    const info = await postJson<{ id?: string; result?: string; receipt?: { result?: string } }>(`${apiUrl}/wallet/gettransactioninfobyid`, { value: txid });
    if (info.id) {
      // TRX transfers carry no receipt result; a failed TRC-20 call says FAILED (REVERT, OUT_OF_ENERGY).
      if (info.result === 'FAILED') throw new Error(`transaction ${txid} failed on chain (${info.receipt?.result ?? 'FAILED'})`);
      return { txHash: txid };
    }
    if (Date.now() > deadline) throw new Error(`transaction ${txid} was not in a block within ${TRON_INCLUSION_TIMEOUT_MS} ms`);
    await sleep(INCLUSION_POLL_MS);
  }
}
