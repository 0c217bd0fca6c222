/**
 * Where the CLI sends its admin calls: a deployed stack (`--endpoint` + admin token), or the
 * local gateway found through TOLLGATE_DATA_DIR (default .tollgate) and PORT, like `npm start`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_DATA_DIR, type LocalSecrets, runtimePath, secretsPath } from '../local/dev-defaults';

export type Target = { endpoint: string; adminToken: string; where: string };

export class CliError extends Error {}

export function resolveTarget(flags: { endpoint?: string; adminToken?: string }, env: Record<string, string | undefined>): Target {
  const endpoint = flags.endpoint ?? env.TOLLGATE_ENDPOINT;
  const adminToken = flags.adminToken ?? env.TOLLGATE_ADMIN_TOKEN;
  if (endpoint) {
    if (!adminToken) {
      throw new CliError('--endpoint needs an admin credential: pass --admin-token or set TOLLGATE_ADMIN_TOKEN (on AWS it is the secret named in the stack output AdminTokenSecretArn)');
    }
    return { endpoint: endpoint.replace(/\/$/, ''), adminToken, where: endpoint };
  }
  const dataDir = resolve(env.TOLLGATE_DATA_DIR ?? DEFAULT_DATA_DIR);
  if (!existsSync(secretsPath(dataDir))) {
    throw new CliError(`no local gateway data in ${dataDir}; run \`npm start\` first, set TOLLGATE_DATA_DIR, or pass --endpoint and --admin-token`);
  }
  const secrets = JSON.parse(readFileSync(secretsPath(dataDir), 'utf8')) as LocalSecrets;
  const running = existsSync(runtimePath(dataDir)) ? (JSON.parse(readFileSync(runtimePath(dataDir), 'utf8')) as { url?: string }) : null;
  const url = env.PORT ? `http://localhost:${env.PORT}` : running?.url;
  if (!url) throw new CliError(`the local gateway for ${dataDir} is not running; start it with \`npm start\``);
  return { endpoint: url, adminToken: adminToken ?? secrets.adminToken, where: `${url} (data ${dataDir})` };
}
