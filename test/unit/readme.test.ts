/**
 * The README is the operator's first contact: it must never tell them to run a bare `npx tollgate`
 * (outside a clone npx fetches whatever package holds that name, in a shell with the admin token).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const README = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');

describe('README.md', () => {
  it('runs the CLI through npx --no-install or the npm script, never a bare npx tollgate', () => {
    const bare = README.split('\n').flatMap((line, i) => (/\bnpx +tollgate\s/.test(line) ? [`${i + 1}: ${line}`] : []));
    expect(bare).toEqual([]);
  });

  it('reads in the operator order: the two commands, go live, integrate, deploy, operate, troubleshoot, API reference, internals', () => {
    const parts = [...README.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    const order = ['Go live', 'Integrate', 'Deploy', 'Operate', 'Troubleshoot', 'API reference', 'Internals'];
    expect(parts.filter((p) => order.includes(p))).toEqual(order);
    expect(README.indexOf('npm ci && npm start')).toBeLessThan(README.indexOf('## Go live'));
    expect(README.indexOf('npm test')).toBeLessThan(README.indexOf('## Go live'));
  });
});
