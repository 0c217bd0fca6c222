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

/** One call of a batch: its method, parameters and the shape its answer must have. */
export type RpcCall<T> = { method: string; params: readonly unknown[]; shape: z.ZodType<T> };
type Answers<C extends readonly RpcCall<unknown>[]> = { [K in keyof C]: C[K] extends RpcCall<infer T> ? T : never };

/**
 * Calls sent in one batch body. Providers cap batches (often 10 to 100 calls, or by response
 * size): full blocks are big, so callers pass their own smaller cap.
 */
export const RPC_BATCH_CALLS_MAX = 50;

/** The provider refused an array body: the client then sends the batch's calls one by one. */
class BatchRefused extends Error {}

export class JsonRpcClient {
  private nextId = 1;
  private preferred = 0;
  private resolved: Promise<readonly string[]> | null = null;
  /** Set once a provider refuses a batch: later batches go out as single calls at once. */
  private batchesRefused = false;
  /** JSON-RPC calls made, as providers bill them: a batch of N counts N. */
  calls = 0;
  /** HTTP requests made: a batch counts one. */
  requests = 0;

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
      this.requests += 1;
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

  /**
   * Several calls in one HTTP request (a JSON-RPC batch: an array body, answered by id), with the
   * same retries and URL rotation as `call`. A provider that refuses batches (an error object or
   * an HTTP 4xx instead of an array) gets the calls one by one, now and for the client's life.
   * A deterministic error in any answer throws that call's RpcError. `inOrder`: one by one, each
   * call is sent after the one before it was answered (a later answer then describes a later
   * state of the chain), not all at once.
   */
  async batch<const C extends readonly RpcCall<unknown>[]>(calls: C, options: { inOrder?: boolean } = {}): Promise<Answers<C>> {
    if (calls.length === 0) return [] as unknown as Answers<C>;
    if (calls.length === 1 || this.batchesRefused) return this.oneByOne(calls, options.inOrder === true);
    try {
      return await this.sendBatch(calls);
    } catch (e) {
      if (!(e instanceof BatchRefused)) throw e;
      this.batchesRefused = true;
      return this.oneByOne(calls, options.inOrder === true);
    }
  }

  private async oneByOne<const C extends readonly RpcCall<unknown>[]>(calls: C, inOrder: boolean): Promise<Answers<C>> {
    if (!inOrder) return (await Promise.all(calls.map((c) => this.call(c.method, [...c.params], c.shape)))) as Answers<C>;
    const out: unknown[] = [];
    for (const c of calls) out.push(await this.call(c.method, [...c.params], c.shape));
    return out as Answers<C>;
  }

  private async sendBatch<const C extends readonly RpcCall<unknown>[]>(calls: C): Promise<Answers<C>> {
    const urls = await this.urls();
    const label = `batch of ${calls.length} (${[...new Set(calls.map((c) => c.method))].join(', ')})`;
    let lastError = '';
    for (let attempt = 0; attempt < this.options.attempts; attempt += 1) {
      const index = (this.preferred + attempt) % urls.length;
      const url = urls[index];
      if (attempt > 0) {
        this.options.onRetry?.({ method: label, host: URL.canParse(url) ? new URL(url).host : 'invalid-url', attempt, error: lastError });
        await sleep(this.options.backoffMs * 2 ** (attempt - 1) * (0.5 + Math.random()));
      }
      this.calls += calls.length;
      this.requests += 1;
      const ids = calls.map(() => this.nextId++);
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(calls.map((c, i) => ({ jsonrpc: '2.0', id: ids[i], method: c.method, params: c.params }))),
          signal: AbortSignal.timeout(this.options.timeoutMs),
        });
        const text = await response.text();
        // 4xx other than rate limiting: the provider does not take array bodies (or this size of one).
        if (response.status >= 400 && response.status < 500 && response.status !== 429) throw new BatchRefused(`HTTP ${response.status}`);
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const body = JSON.parse(text) as unknown;
        if (!Array.isArray(body)) {
          const code = Number((body as { error?: { code?: number } })?.error?.code ?? 0);
          if (TRANSIENT_RPC_CODES.has(code)) throw new Error(`transient RPC error ${code} for a batch`);
          throw new BatchRefused(`answered a batch with ${text.slice(0, 200)}`);
        }
        const byId = new Map((body as { id?: unknown }[]).map((a) => [Number(a.id), a as { result?: unknown; error?: { code?: number; message?: string } }]));
        const out: unknown[] = [];
        for (const [i, c] of calls.entries()) {
          const answer = byId.get(ids[i]);
          if (!answer) throw new Error(`the batch answer has no reply to ${c.method}`);
          if (answer.error) {
            const code = Number(answer.error.code ?? 0);
            if (TRANSIENT_RPC_CODES.has(code)) throw new Error(`transient RPC error ${code}: ${answer.error.message}`);
            throw new RpcError(c.method, code, String(answer.error.message ?? 'unknown error'));
          }
          const parsed = c.shape.safeParse(answer.result);
          if (!parsed.success) throw new Error(`malformed ${c.method} answer: ${parsed.error.issues[0]?.message ?? 'shape mismatch'}`);
          out.push(parsed.data);
        }
        this.preferred = index;
        return out as Answers<C>;
      } catch (e) {
        if (e instanceof RpcError || e instanceof BatchRefused) throw e;
        lastError = e instanceof Error ? e.message : String(e);
      }
    }
    throw new Error(`${label} failed on every RPC URL after ${this.options.attempts} attempts: ${lastError}`);
  }
}
