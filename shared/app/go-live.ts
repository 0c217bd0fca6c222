/**
 * `tollgate project go-live SHOP`: the checklist of shared/domain/go-live.ts, with its probes.
 * Every probe runs at once and under its own deadline, so a dead endpoint costs GO_LIVE_PROBE_MS,
 * not the admin function's whole timeout. Nothing is written.
 *
 * The notification URL probe is one POST through the postback transport (its SSRF guard, no
 * redirects), in the project's postback format, with the fields of GO_LIVE_PROBE_FIELDS and the
 * header `Tollgate-Check: go-live`. It carries no token and no Tollgate-Signature, so a listener
 * that verifies postbacks rejects it (a 4xx still proves it is there); `status=check` and
 * `test_mode=true` make one that does not verify ignore it.
 */
import type { ChainDeployment } from '../domain/chains';
import { nativeCurrencyOf } from '../domain/currencies';
import {
  alarmEmailCheck,
  currenciesCheck,
  type GoLiveReport,
  goLiveReport,
  type HotWalletProbe,
  hotWalletCheck,
  notificationUrlCheck,
  projectChains,
  returnUrlsCheck,
  type RpcProbe,
  rpcCheck,
  testModeCheck,
  type UrlProbe,
} from '../domain/go-live';
import type { Project } from '../domain/project';
import { ok, type Result } from '../domain/result';
import type { Deps } from '../ports';
import type { ReconciliationReaders } from '../ports/reconciliation';
import type { AppError } from './errors';
import { withProject } from './projects';
import { hotWalletViews } from './reconciliation';

/** Each probe's deadline: the admin route answers within its 10 s timeout even when everything hangs. */
export const GO_LIVE_PROBE_MS = 5_000;

/** What the notification URL probe sends (documented in the README's go-live section). */
export const GO_LIVE_PROBE_FIELDS = { status: 'check', event: 'go_live.check', test_mode: 'true', invoice_id: '', order_id: '' } as const;
export const GO_LIVE_PROBE_HEADER = 'tollgate-check';

class Late extends Error {}

async function within<T>(ms: number, work: () => Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Late(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work(), late]);
  } finally {
    clearTimeout(timer);
  }
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function probeUrl(deps: Deps, project: Project): Promise<UrlProbe | null> {
  const url = project.settings.notificationUrl;
  if (!url) return null;
  const json = project.settings.postbackFormat === 'json';
  const body = json ? JSON.stringify({ ...GO_LIVE_PROBE_FIELDS, test_mode: true }) : new URLSearchParams(GO_LIVE_PROBE_FIELDS).toString();
  const result = await deps.transport.post({
    url,
    body,
    headers: { 'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded', [GO_LIVE_PROBE_HEADER]: 'go-live', 'user-agent': 'Tollgate go-live check' },
    timeoutMs: Math.min(deps.settings.postbacks.timeoutMs, GO_LIVE_PROBE_MS),
  });
  return result.kind === 'answered' ? { kind: 'answered', status: result.status, latencyMs: result.latencyMs } : result;
}

/** The chain's head through its reader, which first checks the endpoint serves the configured chain id. */
async function probeRpc(deps: Deps, d: ChainDeployment): Promise<RpcProbe> {
  try {
    return { ok: true, head: (await within(GO_LIVE_PROBE_MS, () => deps.readChain(d.chain).head())).number };
  } catch (e) {
    return { ok: false, error: message(e) };
  }
}

/** The hot wallet view of `tollgate wallet hot` (the same reads), for one chain. */
async function probeHotWallet(deps: Deps, readers: ReconciliationReaders, d: ChainDeployment): Promise<HotWalletProbe> {
  try {
    const [view] = await within(GO_LIVE_PROBE_MS, () => hotWalletViews({ chains: [d], log: deps.log }, readers));
    return { ok: true, address: view.address, nativeCode: view.nativeCode, native: view.native, minimum: view.minimum, decimals: nativeCurrencyOf(d.chain).decimals };
  } catch (e) {
    return { ok: false, error: message(e) };
  }
}

export type GoLiveSettings = {
  /** The stack's AlarmEmail parameter is set; null where there is no stack (the local runtime). */
  alarmEmailConfigured: boolean | null;
};

export async function checkGoLive(deps: Deps, readers: ReconciliationReaders, shopId: string, settings: GoLiveSettings): Promise<Result<GoLiveReport, AppError>> {
  return withProject(deps, shopId, async (project) => {
    const chains = projectChains(project, deps.chains);
    const [url, rpcs, wallets] = await Promise.all([
      probeUrl(deps, project),
      Promise.all(chains.map((d) => probeRpc(deps, d))),
      Promise.all(chains.map((d) => probeHotWallet(deps, readers, d))),
    ]);
    const checks = [
      testModeCheck(project),
      notificationUrlCheck(project, url),
      returnUrlsCheck(project),
      currenciesCheck(project, deps.chains),
      alarmEmailCheck(settings.alarmEmailConfigured),
      ...chains.map((d, i) => rpcCheck(d, rpcs[i])),
      ...chains.map((d, i) => hotWalletCheck(d.chain, wallets[i])),
    ];
    const report = goLiveReport(project.shopId, checks);
    deps.log.info('project.go_live_checked', { shopId, ready: report.ready, failed: checks.filter((c) => c.status === 'fail').map((c) => (c.chain ? `${c.id}:${c.chain}` : c.id)) });
    return ok(report);
  });
}
