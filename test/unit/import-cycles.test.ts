/** No module imports itself back through others (STYLE §3: dependencies point one way). */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const files = (dir: string): string[] =>
  readdirSync(join(ROOT, dir)).flatMap((name) => {
    const rel = join(dir, name);
    return statSync(join(ROOT, rel)).isDirectory() ? files(rel) : rel.endsWith('.ts') ? [rel] : [];
  });

/**
 * Relative imports and re-exports of `file` that load the other module at run time, resolved to
 * repository paths. Statements that are wholly `import type` are erased by the compiler, so a
 * type-only back-reference (payments.ts naming the Invoice type) is no cycle.
 */
const localImportsOf = (file: string): string[] =>
  [...readFileSync(join(ROOT, file), 'utf8').matchAll(/^\s*(?:import|export)(?!\s+type\s)[^'"]*from\s+['"](\.[^'"]+)['"]/gm)].flatMap((m) => {
    const base = join(dirname(file), m[1]);
    const found = [`${base}.ts`, join(base, 'index.ts')].find((p) => existsSync(join(ROOT, p)));
    return found ? [relative('', found)] : [];
  });

/** One import cycle per strongly connected group, as a path `a → b → … → a`; empty when none. */
function importCycles(roots: string[]): string[] {
  const graph = new Map(roots.flatMap(files).map((f) => [f, localImportsOf(f)]));
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'open');
    stack.push(f);
    for (const next of graph.get(f) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].join(' → '));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of graph.keys()) if (!state.has(f)) visit(f);
  return cycles;
}

describe('import cycles', () => {
  it('shared/ and functions/ have no run-time import cycle (shared/app/invoices.ts and postbacks.ts once imported each other)', () => {
    expect(importCycles(['shared', 'functions'])).toEqual([]);
  });
});
