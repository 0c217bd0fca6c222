/** The import rules of STYLE §3, enforced by reading import lines. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const files = (dir: string): string[] =>
  readdirSync(join(ROOT, dir)).flatMap((name) => {
    const rel = join(dir, name);
    return statSync(join(ROOT, rel)).isDirectory() ? files(rel) : rel.endsWith('.ts') ? [rel] : [];
  });
const importsOf = (file: string) => [...readFileSync(join(ROOT, file), 'utf8').matchAll(/^\s*(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]);

describe('dependency direction', () => {
  it('shared/domain imports nothing but itself, and reads no clock or randomness', () => {
    for (const file of files('shared/domain')) {
      for (const spec of importsOf(file)) expect(spec.startsWith('.') && !spec.includes('adapters') && !spec.includes('/app/'), `${file} imports ${spec}`).toBe(true);
      expect(readFileSync(join(ROOT, file), 'utf8'), file).not.toMatch(/Date\.now\(|new Date\(\)|Math\.random\(/);
    }
  });

  it('shared/app uses only domain and ports', () => {
    for (const file of files('shared/app')) for (const spec of importsOf(file)) expect(/^\.\.\/(domain|ports)|^\.\//.test(spec), `${file} imports ${spec}`).toBe(true);
  });

  it('handlers reach adapters only through functions/kit', () => {
    for (const file of files('functions').filter((f) => !f.startsWith('functions/kit'))) {
      for (const spec of importsOf(file)) expect(spec.includes('shared/adapters'), `${file} imports ${spec}`).toBe(false);
    }
  });

  it('lib/manifest.ts and lib/local stay free of aws-cdk-lib', () => {
    for (const file of ['lib/manifest.ts', ...files('lib/local')]) for (const spec of importsOf(file)) expect(spec.startsWith('aws-cdk-lib'), `${file} imports ${spec}`).toBe(false);
  });

  it('table keys are built only in shared/adapters/dynamo/keys.ts', () => {
    const offenders = [...files('shared'), ...files('functions'), ...files('lib')].filter(
      (f) => f !== 'shared/adapters/dynamo/keys.ts' && /[`'"](PROJECT|INVOICE|APIKEY|ADDR|IDEMP|COUNTER|BALANCE)#/.test(readFileSync(join(ROOT, f), 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
