/**
 * `npm run bench`: the stages of bench/stages.ts, each in a process of its own that starts its
 * own engines and is gone, with everything it spawned, before the next one starts. Prints JSON:
 * `invoice_create` (bench/invoice.ts), `watcher` (bench/watcher.ts), `form_decode` (bench/form-decode.ts),
 * `pages` (bench/pages.ts) and `bundles` (bench/bundles.ts).
 *
 * `BENCH_ONLY` picks stages by group (`invoice`, `watcher`, `bundles`) or by id (`watcher_scan`, ...),
 * comma-separated. Exits 1 when a stage failed or left something running.
 */
import { join } from 'node:path';
import { runIsolated, stopAllStages } from './isolate';
import { STAGES, type StageId } from './stages';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const STAGES_MODULE = join(import.meta.dirname, 'stages.ts');

function selectedStages(only: string | undefined): StageId[] {
  const ids = Object.keys(STAGES) as StageId[];
  if (!only) return ids;
  const wanted = only.split(',').map((s) => s.trim());
  const unknown = wanted.filter((w) => !ids.some((id) => id === w || STAGES[id].group === w));
  if (unknown.length > 0) throw new Error(`BENCH_ONLY: unknown ${unknown.join(', ')}; expected groups ${[...new Set(ids.map((id) => STAGES[id].group))].join(', ')} or stages ${ids.join(', ')}`);
  return ids.filter((id) => wanted.includes(id) || wanted.includes(STAGES[id].group));
}

async function main() {
  const out: Record<string, unknown> = { node: process.version };
  let clean = true;
  for (const id of selectedStages(process.env.BENCH_ONLY)) {
    const { key } = STAGES[id];
    const outcome = await runIsolated(STAGES_MODULE, id);
    const figures = { ...(out[key] as Record<string, unknown> | undefined), ...outcome.figures };
    if (outcome.error) figures[`${id}_error`] = outcome.error;
    if (outcome.leftovers.length > 0) figures[`${id}_leftovers`] = outcome.leftovers;
    out[key] = figures;
    clean &&= !outcome.error && outcome.leftovers.length === 0;
  }
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  if (!clean) process.exitCode = 1;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopAllStages();
    process.exit(130);
  });
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
