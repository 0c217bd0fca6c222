/** `npx cdk synth` as a merchant's engineer runs it: no credentials, no Docker, local esbuild. */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { FLAGS } from 'aws-cdk-lib/cx-api';
import { functionSpecs } from '../../lib/manifest';

const ROOT = join(import.meta.dirname, '..', '..');
const out = mkdtempSync(join(tmpdir(), 'tollgate-synth-'));

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('cdk synth', () => {
  it('bundles every function with esbuild and writes the template, without AWS credentials', async () => {
    const env = { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: 'tollgate-none', DOCKER_HOST: 'unix:///nonexistent' };
    const { stdout, stderr } = await promisify(execFile)(join(ROOT, 'node_modules/.bin/cdk'), ['synth', '--quiet', '--output', out], { cwd: ROOT, env, timeout: 240_000 });
    // Warning-free (issue 15): no deprecation, validation finding, unconfigured feature flag or esbuild size mark.
    // CDK's one INFO (not a warning) at 80 % of CloudFormation's 500 resources is kept out; the budget below watches that count instead.
    const resourceCountInfo = /^\S+:\d+:\d+\r?\n\s*INFO Number of resources: \d+ is approaching allowed maximum of 500[^\n]*\n\s*Tollgate\r?\n\s*Acknowledge with '[^']*'[^\n]*$/m;
    const printed = `${stdout}\n${stderr}`.replace(resourceCountInfo, '').split('\n').filter((line) => line.trim() !== '' && !/^Bundling asset \S+\.\.\.$/.test(line.trim()));
    expect(printed).toEqual([]);
    const template = JSON.parse(readFileSync(join(out, 'Tollgate.template.json'), 'utf8'));
    // A budget under CloudFormation's 500 per stack: the next few features fit; past it, split a nested stack off.
    expect(Object.keys(template.Resources).length).toBeLessThan(450);
    const functions = Object.values(template.Resources).filter((r) => (r as { Type: string }).Type === 'AWS::Lambda::Function');
    expect(functions).toHaveLength(functionSpecs().length);
    const bundles = readdirSync(out).filter((d) => d.startsWith('asset.') && existsSync(join(out, d, 'index.mjs')));
    expect(bundles.length).toBe(functions.length);
    for (const b of bundles) expect(statSync(join(out, b, 'index.mjs')).size).toBeLessThan(3_000_000);
    // The pages function carries the pages' static files (styles, scripts) beside its bundle.
    expect(bundles.filter((b) => existsSync(join(out, b, 'assets', 'pages.css')))).toHaveLength(1);
  }, 300_000);

  it('configures every CDK feature flag whose default is not the recommended value (else synth warns), and runs the app without fetching', () => {
    const cdkJson = JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as { app: string; context: Record<string, unknown> };
    const unconfigured = Object.entries(FLAGS as Record<string, { recommendedValue?: unknown; unconfiguredBehavesLike?: { v2?: unknown } }>)
      .filter(([name, f]) => f.recommendedValue !== undefined && !(name in cdkJson.context))
      .filter(([, f]) => JSON.stringify(f.unconfiguredBehavesLike?.v2 ?? false) !== JSON.stringify(f.recommendedValue))
      .map(([name]) => name);
    expect(unconfigured).toEqual([]);
    expect(cdkJson.app).toBe('npx --no-install tsx lib/app.ts');
  });
});
