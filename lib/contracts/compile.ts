/**
 * Compiles the project's Solidity contracts offline with the bundled solc-js (0.8.37, evmVersion
 * cancun): the devnet's TestUSDT and the disperse contract of mass payouts. Cached in memory, and
 * on disk under node_modules/.cache/tollgate/ keyed by sha256(file, contract, source, solc
 * version, settings): loading solc's 9 MB wasm takes about a second, the cache file a millisecond.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JsonFragment } from 'ethers';

export type CompiledContract = { abi: JsonFragment[]; bytecode: string };

const requireCjs = createRequire(import.meta.url);

/** The same settings for every contract: the optimizer tuned for calls (runs 200), Cancun opcodes. */
export const SOLC_SETTINGS = { evmVersion: 'cancun', optimizer: { enabled: true, runs: 200 } } as const;

/** lib/contracts/TollgateDisperse.sol: the mass payout contract (README "Mass payouts"). */
export const DISPERSE_SOURCE_PATH = fileURLToPath(new URL('./TollgateDisperse.sol', import.meta.url));
/** The artifact committed beside the source: what `tollgate chain deploy-disperse` deploys (a test checks it matches the source). */
export const DISPERSE_ARTIFACT_PATH = fileURLToPath(new URL('./TollgateDisperse.json', import.meta.url));

type SolcOutput = {
  errors?: { severity: 'error' | 'warning' | 'info'; formattedMessage: string }[];
  contracts?: Record<string, Record<string, { abi: JsonFragment[]; evm: { bytecode: { object: string } } }>>;
};

const compiled = new Map<string, CompiledContract>();

/** The bundled solc-js version (package.json of `solc`). */
export function solcVersion(): string {
  return (JSON.parse(readFileSync(requireCjs.resolve('solc/package.json'), 'utf8')) as { version: string }).version;
}

/** Compiles `contractName` of the Solidity file at `sourcePath` (self-contained, no imports). */
export function compileContract(sourcePath: string, contractName: string): CompiledContract {
  const file = basename(sourcePath);
  const memoKey = `${sourcePath}#${contractName}`;
  const memo = compiled.get(memoKey);
  if (memo) return memo;
  const source = readFileSync(sourcePath, 'utf8');
  const settings = { ...SOLC_SETTINGS, outputSelection: { [file]: { [contractName]: ['abi', 'evm.bytecode.object'] } } };
  const key = createHash('sha256').update(JSON.stringify([file, contractName, source, solcVersion(), settings])).digest('hex');
  const cacheDir = join(dirname(requireCjs.resolve('solc/package.json')), '..', '.cache', 'tollgate');
  const cacheFile = join(cacheDir, `${contractName}-${key.slice(0, 32)}.json`);
  try {
    const cached = JSON.parse(readFileSync(cacheFile, 'utf8')) as CompiledContract;
    if (Array.isArray(cached.abi) && /^0x[0-9a-f]+$/.test(cached.bytecode)) {
      compiled.set(memoKey, cached);
      return cached;
    }
  } catch {
    // No cache yet (or a torn one): compile below.
  }
  const solc = requireCjs('solc') as { compile(input: string): string };
  const output = JSON.parse(solc.compile(JSON.stringify({ language: 'Solidity', sources: { [file]: { content: source } }, settings }))) as SolcOutput;
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) throw new Error(`${file} did not compile:\n${errors.map((e) => e.formattedMessage).join('\n')}`);
  const contract = output.contracts?.[file]?.[contractName];
  if (!contract) throw new Error(`solc returned no ${contractName} contract from ${file}`);
  const result: CompiledContract = { abi: contract.abi, bytecode: `0x${contract.evm.bytecode.object}` };
  try {
    // Write then rename, so a concurrent reader never sees half a file.
    mkdirSync(cacheDir, { recursive: true });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(result));
    renameSync(tmp, cacheFile);
  } catch {
    // The disk cache is an optimisation; a read-only node_modules only costs a recompile.
  }
  compiled.set(memoKey, result);
  return result;
}

/** The disperse contract, compiled from its source. */
export const compileDisperse = (): CompiledContract => compileContract(DISPERSE_SOURCE_PATH, 'TollgateDisperse');

/** What lib/contracts/TollgateDisperse.json holds: the compiled contract and how it was compiled. */
export type DisperseArtifact = CompiledContract & { contractName: 'TollgateDisperse'; compiler: string; settings: typeof SOLC_SETTINGS; sourceSha256: string };

export function disperseArtifact(): DisperseArtifact {
  const source = readFileSync(DISPERSE_SOURCE_PATH, 'utf8');
  return {
    contractName: 'TollgateDisperse',
    compiler: `solc-js ${solcVersion()}`,
    settings: SOLC_SETTINGS,
    sourceSha256: createHash('sha256').update(source).digest('hex'),
    ...compileDisperse(),
  };
}

/** The committed artifact (no solc needed to deploy it). */
export function readDisperseArtifact(): DisperseArtifact {
  return JSON.parse(readFileSync(DISPERSE_ARTIFACT_PATH, 'utf8')) as DisperseArtifact;
}

// `tsx lib/contracts/compile.ts` writes the artifact again after the source changed.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(DISPERSE_ARTIFACT_PATH, `${JSON.stringify(disperseArtifact(), null, 2)}\n`);
  process.stdout.write(`wrote ${DISPERSE_ARTIFACT_PATH}\n`);
}
