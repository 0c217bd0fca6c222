/**
 * NodejsFunction with Tollgate's defaults fixed once (STYLE §10): arm64, Node 22, ESM bundle with
 * source maps, an explicit log group with retention, timeout and memory from the manifest.
 * Bundling uses the local esbuild (a devDependency), so synth needs no Docker.
 */
import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { FunctionSpec } from '../manifest';

export const PROJECT_ROOT = join(import.meta.dirname, '..', '..');

/** Copies a folder of the project into the bundle as `assets/`, with no shell: paths are quoted by the hook's own runner. */
const copyAfterBundling = (dir: string) => ({
  beforeBundling: () => [],
  beforeInstall: () => [],
  afterBundling: (inputDir: string, outputDir: string) => [`cp -R "${join(inputDir, dir)}" "${join(outputDir, 'assets')}"`],
});

/**
 * The esbuild settings of every function's bundle, in one place: the stack passes them to
 * NodejsFunction, and lib/infra/bundles.ts builds the same bundles for the bundle test and bench.
 */
export const FUNCTION_BUNDLING = {
  format: OutputFormat.ESM,
  target: 'node22',
  sourceMap: true,
  minify: true,
  // ESM bundles need require() for dependencies that still call it.
  banner: "import { createRequire as __tgCreateRequire } from 'module'; const require = __tgCreateRequire(import.meta.url);",
  mainFields: ['module', 'main'],
  externalModules: [],
  // esbuild's size summary flags every bundle over 1 MB with a warning sign, which `cdk synth`
  // prints as if something were wrong; sizes are bounded by test/infra/bundles.test.ts instead.
  // Real esbuild warnings and errors still print.
  logLevel: LogLevel.WARNING,
} as const satisfies BundlingOptions;

export class TollgateFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, spec: FunctionSpec, environment: Record<string, string>) {
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.RETAIN });
    super(scope, id, {
      entry: join(PROJECT_ROOT, spec.entry),
      handler: 'handler',
      description: spec.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: spec.memoryMb,
      timeout: Duration.seconds(spec.timeoutSeconds),
      logGroup,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      environment: { ...environment, NODE_OPTIONS: '--enable-source-maps' },
      bundling: {
        ...FUNCTION_BUNDLING,
        mainFields: [...FUNCTION_BUNDLING.mainFields],
        externalModules: [...FUNCTION_BUNDLING.externalModules],
        // Static files beside the bundle (functions/kit/assets.ts reads them from LAMBDA_TASK_ROOT/assets).
        ...(spec.assetDir ? { commandHooks: copyAfterBundling(spec.assetDir) } : {}),
      },
    });
  }
}
