/**
 * Outbound POSTs to merchants' servers, under the SSRF policy of shared/domain/network.ts:
 * - the URL is checked before anything else (scheme, credentials, literal addresses, localhost);
 * - the name is resolved once, every address it resolves to must be allowed, and the request
 *   connects to the address that was checked (Host header and TLS name stay the URL's), so a
 *   DNS answer that changes between the check and the connection (rebinding) cannot redirect it;
 * - redirects are answers, never followed;
 * - one timer covers lookup, connection and answer.
 */
import { lookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { bareHost, classifyAddress, type NetworkPolicy, notificationUrlProblem, refusedAddress } from '../../domain/network';
import { RESPONSE_SNIPPET_BYTES } from '../../domain/postbacks';
import type { OutboundRequest, OutboundResult, PostbackTransport } from '../../ports';

/** Every address a host name resolves to. */
export type Resolver = (host: string) => Promise<string[]>;

export const systemResolver: Resolver = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

class TimedOut extends Error {}

export class GuardedTransport implements PostbackTransport {
  constructor(
    private readonly policy: NetworkPolicy,
    private readonly resolve: Resolver = systemResolver,
  ) {}

  async post(req: OutboundRequest): Promise<OutboundResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const problem = notificationUrlProblem(req.url, this.policy);
    if (problem) return { kind: 'refused', reason: `the URL ${problem}`, latencyMs: elapsed() };
    const url = new URL(req.url);
    const host = bareHost(url);

    const opened: { destroy(): void }[] = [];
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimedOut()), req.timeoutMs);
    });
    try {
      const addresses = classifyAddress(host) ? [host] : await Promise.race([this.resolveName(host), deadline]);
      if (typeof addresses === 'string') return { kind: 'unreachable', reason: addresses, latencyMs: elapsed() };
      const refused = addresses.map((a) => refusedAddress(a, this.policy)).find((r) => r !== null);
      if (refused) return { kind: 'refused', reason: `${host} resolves to ${refused}`, latencyMs: elapsed() };
      const answer = await Promise.race([this.send(url, host, addresses[0], req, opened), deadline]);
      return { kind: 'answered', ...answer, latencyMs: elapsed() };
    } catch (e) {
      if (e instanceof TimedOut) return { kind: 'timeout', reason: `no answer within ${req.timeoutMs} ms`, latencyMs: elapsed() };
      const code = (e as NodeJS.ErrnoException).code;
      return { kind: 'unreachable', reason: `${code ?? 'error'}: ${e instanceof Error ? e.message : String(e)}`, latencyMs: elapsed() };
    } finally {
      clearTimeout(timer);
      for (const r of opened) r.destroy();
    }
  }

  /** Addresses, or why the name did not resolve. */
  private async resolveName(host: string): Promise<string[] | string> {
    try {
      const addresses = await this.resolve(host);
      return addresses.length > 0 ? addresses : `${host} resolves to no address`;
    } catch (e) {
      return `DNS lookup of ${host} failed (${(e as NodeJS.ErrnoException).code ?? String(e)})`;
    }
  }

  private send(url: URL, host: string, address: string, req: OutboundRequest, opened: { destroy(): void }[]): Promise<{ status: number; snippet: string }> {
    const secure = url.protocol === 'https:';
    const body = Buffer.from(req.body);
    return new Promise((resolve, reject) => {
      const options = {
        host: address,
        port: url.port || (secure ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        family: isIP(address),
        agent: false as const,
        headers: { ...req.headers, host: url.host, 'content-length': String(body.length), connection: 'close' },
        // The certificate is checked against the URL's name, not the address we connect to.
        ...(secure && !isIP(host) ? { servername: host } : {}),
      };
      const onAnswer = (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        const finish = () => {
          resolve({ status: res.statusCode ?? 0, snippet: Buffer.concat(chunks).subarray(0, RESPONSE_SNIPPET_BYTES).toString('utf8') });
          res.destroy();
        };
        res.on('data', (chunk: Buffer) => {
          if (kept < RESPONSE_SNIPPET_BYTES) chunks.push(chunk);
          kept += chunk.length;
          if (kept >= RESPONSE_SNIPPET_BYTES) finish();
        });
        res.on('end', finish);
        res.on('error', finish);
      };
      const r = secure ? httpsRequest(options, onAnswer) : httpRequest(options, onAnswer);
      opened.push(r);
      r.on('error', reject);
      r.end(body);
    });
  }
}
