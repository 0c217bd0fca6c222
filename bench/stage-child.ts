/**
 * One bench stage in a process of its own (bench/isolate.ts):
 * `node --import tsx bench/stage-child.ts <stages module> <stage id>`. The figures go back over
 * the IPC channel; stdout and stderr stay free for the stage's logs. The process is left to exit
 * by itself, so a stage that leaves a handle open shows up as a leftover.
 */
import { pathToFileURL } from 'node:url';
import type { StageReport } from './isolate';

type StagesModule = { STAGES: Record<string, { run: () => Promise<Record<string, unknown>> }> };

async function main(): Promise<StageReport> {
  const [modulePath, id] = process.argv.slice(2);
  const { STAGES } = (await import(pathToFileURL(modulePath).href)) as StagesModule;
  const stage = Object.hasOwn(STAGES, id) ? STAGES[id] : undefined;
  if (!stage) return { ok: false, error: `no stage ${id} in ${modulePath}` };
  try {
    return { ok: true, figures: await stage.run() };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
}

void main().then((report) => process.send?.(report, undefined, {}, () => process.disconnect()));
