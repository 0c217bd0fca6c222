/** Types of ./verify-postback.mjs (Tollgate postback verification for Node). */

export type VerifyFailure =
  | 'missing_secret'
  | 'raw_body_required'
  | 'unreadable_request'
  | 'missing_signature'
  | 'malformed_signature'
  | 'timestamp_outside_tolerance'
  | 'signature_mismatch'
  | 'malformed_token'
  | 'token_signature_mismatch'
  | 'token_expired'
  | 'token_id_mismatch'
  | 'malformed_body';

export declare const REASONS: readonly VerifyFailure[];
export declare const DEFAULT_TOLERANCE_SECONDS: 300;

/** Node: `{ headers: req.headers, rawBody }` with the bytes as received (express.raw() puts them in `body`: also accepted). */
export type NodeRequestLike = {
  headers: Record<string, string | string[] | undefined> | { get(name: string): string | null };
  rawBody?: string | Uint8Array;
  body?: unknown;
};

/** A Fetch API Request (Next.js route handlers, Hono, Deno, Bun, Workers): read from a clone when it can be. */
export type FetchRequestLike = { headers: { get(name: string): string | null }; arrayBuffer(): Promise<ArrayBuffer>; clone?(): unknown; bodyUsed?: boolean };

export type VerifyOptions = {
  /** How far `t` of the header may be from now, in seconds (default 300). */
  toleranceSeconds?: number;
  /** Accept a postback without the header when its CryptoCloud `token` verifies (it does not sign the body). Default false. */
  allowTokenOnly?: boolean;
  /** Unix seconds to verify at (tests); default the clock. */
  now?: number;
};

export type VerifyResult =
  | {
      ok: true;
      /** The fields, from JSON or a form (a form's `invoice_info`, `payment`, `static_wallet` JSON strings decoded). */
      payload: Record<string, unknown>;
      /** The postback is about a test-mode invoice: never ship goods for it. */
      test_mode: boolean;
      /** `token`: only the invoice id and freshness are authenticated, not the amounts. */
      verified_by: 'signature' | 'token';
    }
  | { ok: false; reason: VerifyFailure };

/** Verifies a Tollgate (CryptoCloud-compatible) postback; `secret` may be [new, old] during a key rotation. Never throws. */
export declare function verifyPostback(request: NodeRequestLike | FetchRequestLike | AsyncIterable<Uint8Array>, secret: string | readonly string[], options?: VerifyOptions): Promise<VerifyResult>;
