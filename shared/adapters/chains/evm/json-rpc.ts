/**
 * A JSON-RPC client for EVM nodes that survives bad endpoints: every call has a timeout, failed
 * or malformed answers are retried with exponential backoff and jitter, and each retry moves to
 * the next configured URL. An answer that does not match the expected shape counts as a failure,
 * so one poisoned reply cannot reach the watcher's logic.
 */
import type * as z from 'zod';

export type RpcClientOptions = {
  timeoutMs: number;
  attempts: number;
  backoffMs: number;
  /** Gets the host only: provider URLs often carry an API key in the path. */
  onRetry?: (info: { method: string; host: string; attempt: number; error: string }) => void;
};

export const RPC_DEFAULTS: RpcClientOptions = { timeoutMs: 8_000, attempts: 5, backoffMs: 150 };

/** The node answered with a JSON-RPC error: deterministic, so not retried here. */
export class RpcError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    message: string,
  ) {
    super(`${method}: ${message} (code ${code})`);
    this.name = 'RpcError';
  }
}

/** Errors a provider uses for "try again" (rate limits, node catching up). */
const TRANSIENT_RPC_CODES = new Set([-32005, -32603, 429]);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The endpoints, or where to get them on first use (a secret, read once per cold start). */
export type RpcUrlSource = readonly string[] | (() => Promise<readonly string[]>);

export class JsonRpcClient {
  private nextId = 1;
  private preferred = 0;
  private resolved: Promise<readonly string[]> | null = null;
  calls = 0;

  constructor(
    private readonly source: RpcUrlSource,
    private readonly options: RpcClientOptions = RPC_DEFAULTS,
  ) {
    if (typeof source !== 'function' && source.length === 0) throw new Error('JsonRpcClient needs at least one URL');
  }

  private urls(): Promise<readonly string[]> {
    if (this.resolved) return this.resolved;
    const source = this.source;
    const pending = (typeof source === 'function' ? source() : Promise.resolve(source)).then((urls) => {
      if (urls.length === 0) throw new Error('JsonRpcClient needs at least one URL');
      return urls;
    });
    this.resolved = pending;
    // A failed read (secret unreachable) is tried again on the next call, not remembered.
    pending.catch(() => {
      if (this.resolved === pending) this.resolved = null;
    });
    return pending;
  }

  async call<T>(method: string, params: unknown[], shape: z.ZodType<T>): Promise<T> {
    const urls = await this.urls();
    let lastError = '';
    for (let attempt = 0; attempt < this.options.attempts; attempt += 1) {
      const index = (this.preferred + attempt) % urls.length;
      const url = urls[index];
      if (attempt > 0) {
        this.options.onRetry?.({ method, host: URL.canParse(url) ? new URL(url).host : 'invalid-url', attempt, error: lastError });
        await sleep(this.options.backoffMs * 2 ** (attempt - 1) * (0.5 + Math.random()));
      }
      this.calls += 1;
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ jsonrpc: '2.0', id: this.nextId++, method, params }),
          signal: AbortSignal.timeout(this.options.timeoutMs),
        });
        const text = await response.text();
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const body = JSON.parse(text) as { result?: unknown; error?: { code?: number; message?: string } };
        if (body.error) {
          const code = Number(body.error.code ?? 0);
          if (TRANSIENT_RPC_CODES.has(code)) throw new Error(`transient RPC error ${code}: ${body.error.message}`);
          throw new RpcError(method, code, String(body.error.message ?? 'unknown error'));
        }
        const parsed = shape.safeParse(body.result);
        if (!parsed.success) throw new Error(`malformed ${method} answer: ${parsed.error.issues[0]?.message ?? 'shape mismatch'}`);
        // Stay on the URL that works.
        this.preferred = index;
        return parsed.data;
      } catch (e) {
        if (e instanceof RpcError) throw e;
        lastError = e instanceof Error ? e.message : String(e);
      }
    }
    throw new Error(`${method} failed on every RPC URL after ${this.options.attempts} attempts: ${lastError}`);
  }
}
