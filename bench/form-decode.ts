/**
 * `BENCH_ONLY=form-decode`: how long the form decoder takes on the worst 64 KiB bodies
 * (test/support/hostile-forms.ts, the same the decoder tests use). The decoder runs for every
 * public route before any use case, so it must stay cheap whatever the body. Target: the slowest
 * shape's p50 under 20 ms.
 */
import { BODY_BYTES_MAX, decodeForm } from '../shared/api/cryptocloud/wire';
import { HOSTILE_FORMS } from '../test/support/hostile-forms';

/** Runs per shape after the warm-up; the figure is the p50 (the machine is shared, so p99 is noise). */
const RUNS_PER_SHAPE = 50;
const WARMUP_RUNS_PER_SHAPE = 5;
const TARGET_MS_MAX = 20;

const round = (n: number) => Math.round(n * 1000) / 1000;

export function formDecodeBench() {
  const shapes: Record<string, { bytes: number; outcome: string; p50_ms: number; max_ms: number }> = {};
  for (const [name, body] of Object.entries(HOSTILE_FORMS)) {
    let decoded = decodeForm(body);
    for (let i = 1; i < WARMUP_RUNS_PER_SHAPE; i += 1) decoded = decodeForm(body);
    const times: number[] = [];
    for (let i = 0; i < RUNS_PER_SHAPE; i += 1) {
      const started = performance.now();
      decodeForm(body);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const outcome = decoded.ok ? 'decoded' : `refused: ${decoded.error.kind}`;
    shapes[name] = { bytes: body.length, outcome, p50_ms: round(times[Math.floor(times.length / 2)]), max_ms: round(times[times.length - 1]) };
  }
  const [worst, figures] = Object.entries(shapes).reduce((a, b) => (b[1].p50_ms > a[1].p50_ms ? b : a));
  return {
    body_bytes_max: BODY_BYTES_MAX,
    shapes,
    worst_case_shape: worst,
    worst_case_p50_ms: figures.p50_ms,
    target_ms_max: TARGET_MS_MAX,
    target_met: figures.p50_ms < TARGET_MS_MAX,
  };
}
