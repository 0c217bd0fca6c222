/**
 * Where the CLI sends its admin calls: a deployed stack (`--endpoint` + admin token), or the
 * local gateway found through TOLLGATE_DATA_DIR (default .tollgate) and PORT, like `npm start`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_DATA_DIR, type LocalSecrets, runtimePath, secretsPath } from '../local/dev-defaults';

/**
 * `source`: what chose the gateway (a script run in the wrong shell must be able to tell).
 * `dataDir`: the local runtime's data folder, when the gateway is the one `npm start` runs there.
 */
export type Target = { endpoint: string; adminToken: string; where: string; source: 'local' | '--endpoint' | 'TOLLGATE_ENDPOINT'; dataDir: string | null };

export class CliError extends Error {}

const readJson = <T>(path: string): T | null => (existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : null);
const trimSlash = (url: string) => url.replace(/\/$/, '');

export function resolveTarget(flags: { endpoint?: string; adminToken?: string }, env: Record<string, string | undefined>): Target {
  const endpoint = flags.endpoint ?? env.TOLLGATE_ENDPOINT;
  const adminToken = flags.adminToken ?? env.TOLLGATE_ADMIN_TOKEN;
  const dataDir = resolve(env.TOLLGATE_DATA_DIR ?? DEFAULT_DATA_DIR);
  if (endpoint) {
    if (!adminToken) {
      throw new CliError('--endpoint needs an admin credential: pass --admin-token or set TOLLGATE_ADMIN_TOKEN (on AWS it is the secret named in the stack output AdminTokenSecretArn)');
    }
    // The local gateway named by its URL is still the local one (its demo project file follows key rotations).
    const running = readJson<{ url?: string }>(runtimePath(dataDir));
    const local = running?.url !== undefined && trimSlash(running.url) === trimSlash(endpoint);
    return { endpoint: trimSlash(endpoint), adminToken, where: endpoint, source: flags.endpoint ? '--endpoint' : 'TOLLGATE_ENDPOINT', dataDir: local ? dataDir : null };
  }
  if (!existsSync(secretsPath(dataDir))) {
    throw new CliError(`no local gateway data in ${dataDir}; run \`npm start\` first, set TOLLGATE_DATA_DIR, or pass --endpoint and --admin-token`);
  }
  const secrets = JSON.parse(readFileSync(secretsPath(dataDir), 'utf8')) as LocalSecrets;
  const running = readJson<{ url?: string }>(runtimePath(dataDir));
  const url = env.PORT ? `http://localhost:${env.PORT}` : running?.url;
  if (!url) throw new CliError(`the local gateway for ${dataDir} is not running; start it with \`npm start\``);
  return { endpoint: url, adminToken: adminToken ?? secrets.adminToken, where: `${url} (data ${dataDir})`, source: 'local', dataDir };
}

/** The one-line answer to "which gateway is this?", printed on stderr before human output and in `tollgate help`. */
export function describeTarget(t: Target): string {
  return t.source === 'local' ? `local gateway ${t.where}` : `gateway ${t.endpoint} (from ${t.source})`;
}

/** For `tollgate help`: the target the next command would use, or why there is none yet. */
export function describeTargetOrWhy(flags: { endpoint?: string; adminToken?: string }, env: Record<string, string | undefined>): string {
  try {
    return describeTarget(resolveTarget(flags, env));
  } catch (e) {
    return `none yet: ${e instanceof Error ? e.message : String(e)}`;
  }
}
