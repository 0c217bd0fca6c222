/** Prints each test file's wall time, slowest first, so suite growth stays visible. */
import type { Reporter, TestModule } from 'vitest/node';

export default class SuiteTimesReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>) {
    const rows = modules
      .map((m) => ({ file: m.relativeModuleId, ms: Math.round(m.diagnostic().duration), state: m.state() }))
      .sort((a, b) => b.ms - a.ms);
    const total = rows.reduce((s, r) => s + r.ms, 0);
    const lines = rows.map((r) => `  ${String(r.ms).padStart(7)} ms  ${r.state === 'passed' ? ' ' : '!'} ${r.file}`);
    process.stdout.write(`\nPer-suite times (sum ${total} ms):\n${lines.join('\n')}\n`);
  }
}
