/** `npx cdk synth` as a merchant's engineer runs it: no credentials, no Docker, local esbuild. */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { functionSpecs } from '../../lib/manifest';

const ROOT = join(import.meta.dirname, '..', '..');
const out = mkdtempSync(join(tmpdir(), 'tollgate-synth-'));

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('cdk synth', () => {
  it('bundles every function with esbuild and writes the template, without AWS credentials', async () => {
    const env = { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: 'tollgate-none', DOCKER_HOST: 'unix:///nonexistent' };
    await promisify(execFile)(join(ROOT, 'node_modules/.bin/cdk'), ['synth', '--quiet', '--output', out], { cwd: ROOT, env, timeout: 120_000 });
    const template = JSON.parse(readFileSync(join(out, 'Tollgate.template.json'), 'utf8'));
    const functions = Object.values(template.Resources).filter((r) => (r as { Type: string }).Type === 'AWS::Lambda::Function');
    expect(functions).toHaveLength(functionSpecs().length);
    const bundles = readdirSync(out).filter((d) => d.startsWith('asset.') && existsSync(join(out, d, 'index.mjs')));
    expect(bundles.length).toBe(functions.length);
    for (const b of bundles) expect(statSync(join(out, b, 'index.mjs')).size).toBeLessThan(3_000_000);
    // The pages function carries the pages' static files (styles, scripts) beside its bundle.
    expect(bundles.filter((b) => existsSync(join(out, b, 'assets', 'pages.css')))).toHaveLength(1);
  }, 150_000);
});
