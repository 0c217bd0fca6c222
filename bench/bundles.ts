/**
 * Each function's bundle, built the way the stack builds it (esbuild with lib/infra's
 * FUNCTION_BUNDLING), for the bundle test (test/infra/bundles.test.ts) and the bench:
 * - `bundles`: per function, its size in bytes and gzipped, and its cold import time (p50 of
 *   fresh `node` processes importing the built bundle with NODE_OPTIONS as on Lambda
 *   (`--enable-source-maps`); no handler is called), and `machine` (CPUs, load average).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build, type BuildOptions } from 'esbuild';
import { FUNCTION_BUNDLING, PROJECT_ROOT } from '../lib/infra/tollgate-function';
import { type NamedFunction, namedFunctions } from '../lib/manifest';

/** Fresh processes per bundle for the cold import time; the p50 of these. */
export const COLD_IMPORT_RUNS = 5;
/** One cold import longer than this is a hang, not a measurement. */
const COLD_IMPORT_TIMEOUT_MS = 30_000;

export type FunctionBundle = {
  id: string;
  entry: string;
  /** The bundle as deployed (index.mjs), minified. */
  code: string;
  bytes: number;
  gzipBytes: number;
  /**
   * Bytes each source module contributes to the bundle (esbuild's metafile), keyed by its path
   * from the project root, or from `node_modules/` for packages (`node_modules/ethers/lib.esm/...`).
   */
  modules: Map<string, number>;
};

/** NodejsFunction's esbuild call (aws-cdk-lib/aws-lambda-nodejs bundling) for FUNCTION_BUNDLING. */
export function esbuildOptionsFor(entry: string, outfile: string): BuildOptions {
  return {
    absWorkingDir: PROJECT_ROOT,
    entryPoints: [join(PROJECT_ROOT, entry)],
    bundle: true,
    platform: 'node',
    format: FUNCTION_BUNDLING.format,
    target: FUNCTION_BUNDLING.target,
    minify: FUNCTION_BUNDLING.minify,
    sourcemap: FUNCTION_BUNDLING.sourceMap,
    banner: { js: FUNCTION_BUNDLING.banner },
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    external: [...FUNCTION_BUNDLING.externalModules],
    outfile,
    metafile: true,
    logLevel: 'error',
  };
}

/** `node_modules` is a symlink in worktrees: a package module is named from its last `node_modules/`. */
const moduleName = (path: string) => {
  const at = path.lastIndexOf('node_modules/');
  return at >= 0 ? path.slice(at) : relative(PROJECT_ROOT, join(PROJECT_ROOT, path));
};

/** The package a module name belongs to (`ethers`, `@aws-sdk/core`), or null for the project's own code. */
export function packageOf(module: string): string | null {
  const match = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(module);
  return match ? match[1] : null;
}

/** Builds `fn`'s bundle; with `outDir`, also writes it there (`<outDir>/<id>/index.mjs`, with its source map) to be imported. */
export async function buildFunctionBundle(fn: NamedFunction, outDir?: string): Promise<FunctionBundle> {
  const outfile = join(outDir ?? tmpdir(), fn.id, 'index.mjs');
  const result = await build({ ...esbuildOptionsFor(fn.spec.entry, outfile), write: false });
  const outputs = result.outputFiles ?? [];
  const main = outputs.find((o) => o.path.endsWith('.mjs'));
  if (!main || !result.metafile) throw new Error(`esbuild wrote no bundle for ${fn.id}`);
  if (outDir) {
    mkdirSync(join(outDir, fn.id), { recursive: true });
    for (const o of outputs) writeFileSync(o.path, o.contents);
  }
  const meta = Object.entries(result.metafile.outputs).find(([path]) => path.endsWith('.mjs'))?.[1];
  const modules = new Map<string, number>();
  for (const [path, input] of Object.entries(meta?.inputs ?? {})) {
    if (input.bytesInOutput > 0) modules.set(moduleName(path), (modules.get(moduleName(path)) ?? 0) + input.bytesInOutput);
  }
  return { id: fn.id, entry: fn.spec.entry, code: main.text, bytes: main.contents.byteLength, gzipBytes: gzipSync(main.contents).byteLength, modules };
}

export const buildAllBundles = (outDir?: string) => Promise.all(namedFunctions().map((fn) => buildFunctionBundle(fn, outDir)));

const run = promisify(execFile);

/** Milliseconds for a fresh `node` to import the bundle (module evaluation included, no handler call), timed inside the child. */
async function coldImportMs(bundlePath: string): Promise<number> {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(bundlePath).href)}); process.stdout.write(String(performance.now() - t));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    timeout: COLD_IMPORT_TIMEOUT_MS,
    // As on Lambda: a region, no credentials needed to import; nothing here calls AWS.
    env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1', NODE_OPTIONS: '--enable-source-maps' },
  });
  return Number(stdout);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const round1 = (n: number) => Math.round(n * 10) / 10;

/** The `bundles` stage: size, gzipped size and cold import p50 of every function's bundle. */
export async function bundlesBench(): Promise<Record<string, unknown>> {
  const outDir = mkdtempSync(join(tmpdir(), 'tollgate-bundles-'));
  try {
    const bundles = await buildAllBundles(outDir);
    // Cold imports are CPU-bound: the machine's load at the start says how far to trust them.
    const figures: Record<string, unknown> = { machine: { cpus: availableParallelism(), load_average_1m: round1(loadavg()[0]) } };
    // One function at a time: concurrent cold starts would measure the machine's contention.
    for (const b of bundles) {
      const times: number[] = [];
      for (let i = 0; i < COLD_IMPORT_RUNS; i++) times.push(await coldImportMs(join(outDir, b.id, 'index.mjs')));
      figures[b.id] = { bytes: b.bytes, gzip_bytes: b.gzipBytes, cold_import_ms_p50: round1(median(times)), runs: COLD_IMPORT_RUNS };
    }
    return figures;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
