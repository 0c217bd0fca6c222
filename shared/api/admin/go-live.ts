/** `GET /admin/projects/{shopId}/go-live`: the checklist as the CLI prints it and scripts read it (--json). */
import type { GoLiveReport } from '../../domain/go-live';

export const presentGoLive = (r: GoLiveReport) => ({
  shop_id: r.shopId,
  ready: r.ready,
  failed: r.checks.filter((c) => c.status === 'fail').length,
  warned: r.checks.filter((c) => c.status === 'warn').length,
  checks: r.checks.map((c) => ({ id: c.id, chain: c.chain ?? null, status: c.status, title: c.title, detail: c.detail, fix: c.fix })),
});
