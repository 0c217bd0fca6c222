/**
 * `tollgate project go-live SHOP_ID`: the go-live checklist (GET /admin/projects/{shopId}/go-live),
 * one ✓/✗/! line per item with its fix under it, and an exit code a deploy script can stop on.
 * Also the one-line warning that a project on a deployed stack is still in test mode.
 */
import { isLoopbackUrl } from '../../shared/domain/go-live';

/** Some item failed: not ready for real payments (2 is a usage error, 3 reconcile's drift). */
export const GO_LIVE_FAILED_EXIT = 4;

type CheckWire = { id: string; chain: string | null; status: 'pass' | 'fail' | 'warn'; title: string; detail: string; fix: string | null };
export type GoLiveWire = { shop_id: string; ready: boolean; failed: number; warned: number; checks: CheckWire[] };

const MARK: Record<CheckWire['status'], string> = { pass: '✓', fail: '✗', warn: '!' };

export function humanGoLive(r: GoLiveWire, where: string): string {
  const lines = [`Go-live check of project ${r.shop_id} on ${where}`, ''];
  for (const c of r.checks) {
    lines.push(`${MARK[c.status]} ${c.title}: ${c.detail}`);
    if (c.fix && c.status !== 'pass') lines.push(`    fix: ${c.fix}`);
  }
  const warned = r.warned > 0 ? `, ${r.warned} warning${r.warned === 1 ? '' : 's'} (!) worth a look` : '';
  lines.push('', r.ready ? `Ready for real payments${warned}.` : `Not ready: ${r.failed} item${r.failed === 1 ? '' : 's'} failed (✗)${warned}. Apply each fix, then run this again.`);
  return `${lines.join('\n')}\n`;
}

export async function projectGoLive(call: (method: string, path: string) => Promise<unknown>, shopId: string, where: string, json: boolean, out: (s: string) => void): Promise<number> {
  const report = (await call('GET', `/admin/projects/${shopId}/go-live`)) as GoLiveWire;
  out(json ? `${JSON.stringify(report, null, 2)}\n` : humanGoLive(report, where));
  return report.ready ? 0 : GO_LIVE_FAILED_EXIT;
}

/** The local gateway (no --endpoint), or an endpoint on this machine. */
export const isLoopbackEndpoint = (endpoint: string | undefined): boolean => !endpoint || isLoopbackUrl(endpoint);

const WARNED_COMMANDS: ReadonlySet<string> = new Set(['project create', 'project show', 'project update']);

/** One line for stderr when a project a command shows lives on a deployed stack and is still in test mode; null otherwise. */
export function testModeWarning(command: string, endpoint: string | undefined, result: unknown): string | null {
  if (!WARNED_COMMANDS.has(command) || isLoopbackEndpoint(endpoint)) return null;
  const project = result as { shop_id?: unknown; test_mode?: unknown } | null;
  if (project?.test_mode !== true) return null;
  return `tollgate: warning: project ${String(project.shop_id)} on ${endpoint} is in TEST MODE (invoices can be confirmed without payment); go live: tollgate project update ${String(project.shop_id)} --test-mode false, then tollgate project go-live ${String(project.shop_id)}\n`;
}
