/**
 * Renders the README's "Running cost" table from the bench's JSON, re-priced:
 *   BENCH_ONLY=cost-model npm run -s bench > cost.json
 *   npx tsx bench/cost-model-render.ts cost.json [watcher-modes.json]
 * The second file, when given, is `measureWatcherModes()`'s answer (bench/watcher-modes.ts): it
 * replaces the placeholder watcher figures the bench priced with.
 */
import { readFileSync } from 'node:fs';
import { type CostInputs, priceCostModel, renderCostMarkdown, type WatcherModes } from './cost-model-pricing';

const [benchFile, watcherFile] = process.argv.slice(2);
if (!benchFile) throw new Error('usage: npx tsx bench/cost-model-render.ts cost.json [watcher-modes.json]');
const bench = JSON.parse(readFileSync(benchFile, 'utf8')) as { cost_model?: { inputs?: CostInputs } };
const inputs = bench.cost_model?.inputs;
if (!inputs) throw new Error(`${benchFile} has no cost_model.inputs: run BENCH_ONLY=cost-model npm run -s bench`);
const watchers = watcherFile ? (JSON.parse(readFileSync(watcherFile, 'utf8')) as WatcherModes) : inputs.watchers;
process.stdout.write(`${renderCostMarkdown(priceCostModel({ ...inputs, watchers }))}\n`);
