/** Latency sampling shared by the load generators: alternating rounds, pooled samples, p50/p99. */

/**
 * Both operations run in alternating rounds and their samples are pooled, so engine warm-up,
 * GC pauses and neighbours on this 2-core machine fall on both sides of the ratio alike.
 */
const ROUNDS = 3;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
export const round = (n: number) => Math.round(n * 1000) / 1000;

type Samples = { latencies: number[]; seconds: number; concurrency: number };

async function sample(total: number, concurrency: number, op: (i: number) => Promise<void>, into: Samples) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t = performance.now();
        await op(i);
        into.latencies.push(performance.now() - t);
      }
    }),
  );
  into.seconds += (performance.now() - started) / 1000;
}

const empty = (concurrency: number): Samples => ({ latencies: [], seconds: 0, concurrency });

function summary(s: Samples) {
  const sorted = [...s.latencies].sort((a, b) => a - b);
  return { requests: sorted.length, concurrency: s.concurrency, p50_ms: round(percentile(sorted, 50)), p99_ms: round(percentile(sorted, 99)), throughput_per_s: round(sorted.length / s.seconds) };
}

/** Alternating rounds of the two operations at one concurrency. */
export async function compare(total: number, concurrency: number, a: (i: number) => Promise<void>, b: (i: number) => Promise<void>) {
  const sa = empty(concurrency);
  const sb = empty(concurrency);
  for (let r = 0; r < ROUNDS; r += 1) {
    await sample(total / ROUNDS, concurrency, a, sa);
    await sample(total / ROUNDS, concurrency, b, sb);
  }
  return [summary(sa), summary(sb)] as const;
}

