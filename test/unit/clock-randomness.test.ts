/** shared/app and shared/domain read time and randomness only through ports (Clock, RandomSource). */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const files = (dir: string): string[] =>
  readdirSync(join(ROOT, dir)).flatMap((name) => {
    const rel = join(dir, name);
    return statSync(join(ROOT, rel)).isDirectory() ? files(rel) : rel.endsWith('.ts') ? [rel] : [];
  });

/** Reads of the wall clock or of an unseeded random source; `new Date(x)` only converts, so it may stay. */
const DIRECT_READS = /Date\.now\(|new Date\(\)|Math\.random\(|performance\.now\(|crypto\.random|randomBytes\(|randomUUID\(/;

describe('time and randomness come through ports', () => {
  it('no file under shared/app or shared/domain reads the clock or randomness directly', () => {
    const offenders = [...files('shared/app'), ...files('shared/domain')].filter((f) => DIRECT_READS.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
