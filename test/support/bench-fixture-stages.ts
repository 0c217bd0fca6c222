/**
 * Stages for the bench runner's own test (test/integration/bench-stages.test.ts): one that
 * leaves module state, an environment variable, a timer and a spawned process behind, one that
 * exits but leaves a process running, one that looks for them, one that never ends and one that throws.
 */
import { spawn } from 'node:child_process';

const state = globalThis as { benchFixtureLeft?: string };

export const STAGES = {
  leaky: {
    run: async () => {
      state.benchFixtureLeft = 'module state from the leaky stage';
      process.env.BENCH_FIXTURE_LEFT = 'env from the leaky stage';
      setInterval(() => {}, 1_000);
      const sleeper = spawn('sleep', ['300'], { stdio: 'ignore' });
      return { sleeperPid: sleeper.pid ?? null };
    },
  },
  /** Exits by itself but leaves a process running (an engine it forgot to stop). */
  orphan: {
    run: async () => {
      const sleeper = spawn('sleep', ['300'], { stdio: 'ignore' });
      sleeper.unref();
      return { sleeperPid: sleeper.pid ?? null };
    },
  },
  clean: {
    run: async () => ({ sawState: state.benchFixtureLeft ?? null, sawEnv: process.env.BENCH_FIXTURE_LEFT ?? null }),
  },
  hangs: { run: () => new Promise<Record<string, unknown>>(() => setInterval(() => {}, 1_000)) },
  throws: {
    run: async (): Promise<Record<string, unknown>> => {
      throw new Error('the engine did not start');
    },
  },
};
