/**
 * A small HTTP client for TronGrid (java-tron's HTTP API): every request is a JSON POST with a
 * timeout; rate limits, server errors, timeouts and network failures are retried with exponential
 * backoff and jitter, each retry on the next URL and the next API key. Answers are parsed with the
 * caller's zod schema, so a malformed reply never reaches the reader's logic. API keys go out in
 * the `TRON-PRO-API-KEY` header only: never in a message, an error or `onRetry`.
 */
import type * as z from 'zod';
import type { ChainId } from '../../../domain/currencies';

/** Where the client sends requests: base URLs, and the keys to rotate over (none for a keyless node). */
export type TronGridEndpoints = { urls: readonly string[]; apiKeys: readonly string[] };

export type TronGridRetryInfo = {
  path: string;
  /** Host only: a URL may carry credentials in its path. */
  host: string;
  /** The attempt about to start, from 1 (the first retry). */
  attempt: number;
  /** The HTTP status that failed the previous attempt; null for a timeout or network error. */
  status: number | null;
  error: string;
  delayMs: number;
};

export type TronGridClientOptions = {
  chain?: ChainId;
  /** The base URLs, or where to read URLs and keys on first use (a secret, read once per cold start). */
  urls: readonly string[] | (() => Promise<TronGridEndpoints>);
  /** Keys for a URL list; a source function brings its own. */
  apiKeys?: readonly string[];
  timeoutMs?: number;
  /** Requests per call at most, the first included. */
  attempts?: number;
  backoffFirstMs?: number;
  backoffMaxMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** In [0, 1): the jitter source. */
  random?: () => number;
  onRetry?: (info: TronGridRetryInfo) => void;
};

export const TRONGRID_DEFAULTS = { timeoutMs: 15_000, attempts: 5, backoffFirstMs: 250, backoffMaxMs: 4_000 } as const;

/** The node refused the request (`{"Error": "..."}` with HTTP 200): deterministic, so not retried. */
export class TronGridError extends Error {
  constructor(
    readonly path: string,
    readonly nodeMessage: string,
  ) {
    super(`${path}: the node answered an error: ${nodeMessage}`);
    this.name = 'TronGridError';
  }
}

/** A failed attempt that another URL or key may not repeat. */
class RetryableFailure extends Error {
  constructor(
    readonly status: number | null,
    message: string,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

/**
 * Which HTTP statuses are worth another attempt (stripe-node's `_shouldRetry`, one rung each):
 * - 429: the key's QPS is exceeded; the next key has its own budget.
 * - 5xx: the node or TronGrid's balancer failed; another URL or a later try may not.
 * - 401/403: this key is revoked or out of its daily quota; the next key may not be.
 * Any other status is a mistake in the request and would fail the same way again.
 */
const isRetryableStatus = (status: number) => status === 429 || status >= 500 || status === 401 || status === 403;

/** Longest wait a `Retry-After` may impose; longer is not worth holding a watcher invocation for. */
const RETRY_AFTER_MAX_MS = 10_000;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const hostOf = (url: string) => (URL.canParse(url) ? new URL(url).host : 'invalid-url');
const joinUrl = (base: string, path: string) => `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;

function retryAfterMs(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds * 1000, RETRY_AFTER_MAX_MS) : null;
}

/** Integers past this many digits may exceed 2^53; they are kept as decimal text. */
const EXACT_DIGITS_MAX = 15;

/**
 * java-tron writes amounts (sun) as bare JSON numbers, which JSON.parse rounds above 2^53 (9
 * billion TRX). Every integer token longer than 15 digits outside a string becomes a string of
 * the same digits, so the reader converts it to a bigint exactly. Strings are skipped by a small
 * scanner that honours escapes, so no text inside a string is ever changed.
 */
export function quoteLongIntegers(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c >= '0' && c <= '9' && !/[\d.eE+-]/.test(text[i - 1] ?? '')) {
      let j = i;
      while (j < text.length && text[j] >= '0' && text[j] <= '9') j += 1;
      const digits = text.slice(i, j);
      // Only plain integers: a fraction or an exponent is left to JSON.parse.
      const plain = !/[.eE]/.test(text[j] ?? '');
      out += plain && digits.length > EXACT_DIGITS_MAX ? `"${digits}"` : digits;
      i = j;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

export class TronGridClient {
  private readonly chain: ChainId;
  private readonly timeoutMs: number;
  private readonly attempts: number;
  private readonly backoffFirstMs: number;
  private readonly backoffMaxMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private resolved: Promise<TronGridEndpoints> | null = null;
  /** Where the next call starts: the URL and key that last worked, or the next ones after a failure. */
  private urlCursor = 0;
  private keyCursor = 0;
  /** HTTP requests sent, retries included (benchmarks). */
  calls = 0;

  constructor(private readonly options: TronGridClientOptions) {
    this.chain = options.chain ?? 'tron';
    this.timeoutMs = options.timeoutMs ?? TRONGRID_DEFAULTS.timeoutMs;
    this.attempts = Math.max(1, options.attempts ?? TRONGRID_DEFAULTS.attempts);
    this.backoffFirstMs = options.backoffFirstMs ?? TRONGRID_DEFAULTS.backoffFirstMs;
    this.backoffMaxMs = options.backoffMaxMs ?? TRONGRID_DEFAULTS.backoffMaxMs;
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
    if (typeof options.urls !== 'function' && options.urls.length === 0) throw new Error(`TronGridClient (${this.chain}) needs at least one URL`);
  }

  private endpoints(): Promise<TronGridEndpoints> {
    if (this.resolved) return this.resolved;
    const source = this.options.urls;
    const pending = (typeof source === 'function' ? source() : Promise.resolve({ urls: source, apiKeys: this.options.apiKeys ?? [] })).then((endpoints) => {
      if (endpoints.urls.length === 0) throw new Error(`TronGridClient (${this.chain}) needs at least one URL`);
      return endpoints;
    });
    this.resolved = pending;
    // A failed read (secret unreachable) is tried again on the next call, not remembered.
    pending.catch(() => {
      if (this.resolved === pending) this.resolved = null;
    });
    return pending;
  }

  /** Exponential from `backoffFirstMs`, capped, with jitter in [50%, 100%] so retrying callers spread out. */
  private backoffMs(retry: number, retryAfter: number | null): number {
    const capped = Math.min(this.backoffMaxMs, this.backoffFirstMs * 2 ** (retry - 1));
    return Math.max(Math.round(capped * (0.5 + this.random() / 2)), retryAfter ?? 0);
  }

  /** POSTs `body` to `<url>/<path>` and returns the answer parsed by `shape`. */
  async post<T>(path: string, body: unknown, shape: z.ZodType<T>): Promise<T> {
    const { urls, apiKeys } = await this.endpoints();
    let last: RetryableFailure | null = null;
    for (let attempt = 0; attempt < this.attempts; attempt += 1) {
      const urlIndex = (this.urlCursor + attempt) % urls.length;
      const keyIndex = apiKeys.length > 0 ? (this.keyCursor + attempt) % apiKeys.length : -1;
      const url = urls[urlIndex];
      if (attempt > 0 && last) {
        const delayMs = this.backoffMs(attempt, last.retryAfterMs);
        this.options.onRetry?.({ path, host: hostOf(url), attempt, status: last.status, error: last.message, delayMs });
        await this.sleep(delayMs);
      }
      this.calls += 1;
      try {
        const data = await this.once(joinUrl(url, path), keyIndex >= 0 ? apiKeys[keyIndex] : null, path, body, shape);
        // Stay on the URL and key that work.
        this.urlCursor = urlIndex;
        if (keyIndex >= 0) this.keyCursor = keyIndex;
        return data;
      } catch (e) {
        if (!(e instanceof RetryableFailure)) throw e;
        last = e;
      }
    }
    // The next call starts where this one would have gone next.
    this.urlCursor = (this.urlCursor + this.attempts) % urls.length;
    if (apiKeys.length > 0) this.keyCursor = (this.keyCursor + this.attempts) % apiKeys.length;
    throw new Error(`${this.chain}: TronGrid ${path} failed after ${this.attempts} attempts over ${urls.length} URL(s); last: ${last?.message ?? 'no answer'}`);
  }

  private async once<T>(url: string, apiKey: string | null, path: string, body: unknown, shape: z.ZodType<T>): Promise<T> {
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(apiKey ? { 'TRON-PRO-API-KEY': apiKey } : {}) },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (e) {
      const timedOut = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
      throw new RetryableFailure(null, timedOut ? `timeout after ${this.timeoutMs} ms` : `network error: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!response.ok) {
      // The body of an error answer is not repeated: a proxy may echo request headers into it.
      if (isRetryableStatus(response.status)) throw new RetryableFailure(response.status, `HTTP ${response.status}`, retryAfterMs(response.headers.get('retry-after')));
      throw new Error(`${this.chain}: TronGrid ${path} answered HTTP ${response.status}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(quoteLongIntegers(text));
    } catch {
      // A truncated or HTML answer from one node of the pool: another may answer properly.
      throw new RetryableFailure(response.status, `malformed ${path} answer: not JSON`);
    }
    if (json !== null && typeof json === 'object' && !Array.isArray(json) && 'Error' in json) throw new TronGridError(path, String((json as { Error: unknown }).Error));
    const parsed = shape.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new RetryableFailure(response.status, `malformed ${path} answer: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'shape mismatch'}`);
    }
    return parsed.data;
  }
}
