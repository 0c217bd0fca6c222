/**
 * `tollgate keys init|show`: the deployment wallet for `cdk deploy`, without its mnemonic ever on
 * a command line, in an environment variable or in shell history.
 *
 * - `keys init --mnemonic-file PATH` makes a new 24-word BIP39 mnemonic and writes it to a NEW
 *   file, created with mode 600 (an existing file is never overwritten: it may be the only copy of
 *   a wallet).
 * - `keys show [--mnemonic-file PATH]` reads an existing one from the file, MNEMONIC_FILE, or the
 *   terminal with no echo (or standard input when it is piped).
 *
 * Both print only public parts: the account xpubs (EvmXpub m/44'/60'/0', TronXpub m/44'/195'/0'),
 * the hot wallets (m/44'/60'/1'/0/0 and m/44'/195'/1'/0/0, as the senders derive them), the
 * HotWalletsJson value, and the `aws secretsmanager create-secret --secret-string file://...`
 * line that stores the file's content without the words passing through the shell.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { Mnemonic } from 'ethers';
import { MnemonicError, validMnemonic } from '../../shared/adapters/secrets/mnemonic';
import { CHAIN_FAMILIES } from '../../shared/domain/chain-families';
import { CHAINS, type ChainFamily, type ChainId } from '../../shared/domain/currencies';
import { accountXpub, hotWalletAddresses } from '../local/dev-defaults';
import { CliError } from './target';

/** 256 bits of entropy: 24 words. */
const ENTROPY_BYTES = 32;
/** The name README "Key custody" gives the secret; any name works, the stack takes its ARN. */
export const MNEMONIC_SECRET_NAME = 'tollgate/mnemonic';

export type KeysFlags = { 'mnemonic-file'?: string; chain?: string };

export type KeysResult = {
  /** Where the mnemonic was written (init) or read from; null when it was typed or piped. */
  mnemonic_file: string | null;
  created: boolean;
  words: number;
  evm_xpub: string;
  tron_xpub: string;
  hot_wallets: Record<ChainFamily, { address: string; path: string }>;
  /** The HotWalletsJson parameter for the chains given (--chain), every chain of the registry by default. */
  hot_wallets_json: string;
  /** Copy-and-run lines: the secret from the file (file://, never the words), then the deploy parameters. */
  create_secret_command: string;
  deploy_parameters: string;
  warnings: string[];
};

/** How keys.ts reads from the terminal; tests give their own. */
export type KeysIo = { readHidden: (prompt: string) => Promise<string> };

export async function keys(action: string | undefined, flags: KeysFlags, env: Record<string, string | undefined>, io: KeysIo = { readHidden: readHiddenFromTerminal }): Promise<KeysResult> {
  const chains = chainsOf(flags.chain);
  if (action === 'init') {
    const file = flags['mnemonic-file'];
    if (!file) throw new CliError('keys init needs --mnemonic-file PATH: the new file the mnemonic is written to (mode 600; an existing file is never overwritten)');
    const phrase = Mnemonic.fromEntropy(randomBytes(ENTROPY_BYTES)).phrase;
    writeNewSecretFile(file, `${phrase}\n`);
    return describe(phrase, file, true, chains, []);
  }
  if (action === 'show') {
    const file = flags['mnemonic-file'] ?? env.MNEMONIC_FILE;
    try {
      if (file) return describe(validMnemonic(readFileSync(file, 'utf8'), file), file, false, chains, looseModeWarning(file));
      return describe(validMnemonic(await io.readHidden('Deployment mnemonic (not echoed): '), 'the prompt'), null, false, chains, []);
    } catch (e) {
      if (e instanceof MnemonicError) throw new CliError(e.message);
      if (e instanceof Error && 'code' in e && e.code === 'ENOENT') throw new CliError(`no mnemonic file at ${file}`);
      throw e;
    }
  }
  throw new CliError(`keys needs init or show: tollgate keys init --mnemonic-file mnemonic.txt | tollgate keys show [--mnemonic-file mnemonic.txt]`);
}

function chainsOf(list: string | undefined): ChainId[] {
  const all = Object.values(CHAINS).filter((c) => c.enabled).map((c) => c.id);
  if (list === undefined) return all;
  const names = list.split(',').map((c) => c.trim()).filter((c) => c !== '');
  for (const name of names) if (!all.includes(name as ChainId)) throw new CliError(`--chain: unknown chain "${name}"; valid chains: ${all.join(', ')}`);
  if (names.length === 0) throw new CliError(`--chain names no chain; valid chains: ${all.join(', ')}`);
  return [...new Set(names)] as ChainId[];
}

/** O_CREAT|O_EXCL with mode 600, then chmod again (a umask can only remove bits, but be exact). */
function writeNewSecretFile(path: string, content: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (e) {
    if (e instanceof Error && 'code' in e && e.code === 'EEXIST') {
      throw new CliError(`${path} already exists: refusing to overwrite it (it may be the only copy of a wallet). Read it with \`tollgate keys show --mnemonic-file ${path}\`, or choose another path.`);
    }
    throw new CliError(`cannot create ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    fchmodSync(fd, 0o600);
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function looseModeWarning(file: string): string[] {
  const mode = statSync(file).mode & 0o777;
  return mode & 0o077 ? [`${file} is readable by other users (mode ${mode.toString(8)}): chmod 600 ${shellQuote(file)}`] : [];
}

function describe(phrase: string, file: string | null, created: boolean, chains: ChainId[], warnings: string[]): KeysResult {
  const hot = hotWalletAddresses(phrase);
  const hotWalletsJson = JSON.stringify(Object.fromEntries(chains.map((c) => [c, hot[CHAINS[c].family]])));
  const evmXpub = accountXpub(phrase, 'evm');
  const tronXpub = accountXpub(phrase, 'tron');
  const source = file === null ? 'file://mnemonic.txt' : `file://${file}`;
  return {
    mnemonic_file: file,
    created,
    words: phrase.split(' ').length,
    evm_xpub: evmXpub,
    tron_xpub: tronXpub,
    hot_wallets: {
      evm: { address: hot.evm, path: CHAIN_FAMILIES.evm.hotWalletPath },
      tron: { address: hot.tron, path: CHAIN_FAMILIES.tron.hotWalletPath },
    },
    hot_wallets_json: hotWalletsJson,
    create_secret_command: `aws secretsmanager create-secret --name ${MNEMONIC_SECRET_NAME} --secret-string ${shellQuote(source)} --query ARN --output text`,
    deploy_parameters: [
      `--parameters EvmXpub=${evmXpub}`,
      `--parameters TronXpub=${tronXpub}`,
      `--parameters HotWalletsJson=${shellQuote(hotWalletsJson)}`,
      '--parameters MnemonicSecretArn=<the ARN create-secret printed>',
    ].join(' '),
    warnings,
  };
}

/** Quotes for a POSIX shell only when needed (paths with spaces, JSON). */
function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** What a person reads: the public values, then the three steps, the mnemonic never. */
export function humanKeys(result: unknown): string {
  const r = result as KeysResult;
  const file = r.mnemonic_file;
  const lines = [
    ...(r.created ? [`Wrote a new ${r.words}-word mnemonic to ${file} (mode 600). It is the deployment wallet: back it up offline now (paper, a password manager).`, ''] : []),
    ...r.warnings.map((w) => `warning: ${w}`),
    'Public values (safe to share; they cannot sign):',
    `  EvmXpub         ${r.evm_xpub}`,
    `  TronXpub        ${r.tron_xpub}`,
    `  hot wallet EVM  ${r.hot_wallets.evm.address}  (${r.hot_wallets.evm.path}; fund it with each EVM chain's native coin)`,
    `  hot wallet Tron ${r.hot_wallets.tron.address}  (${r.hot_wallets.tron.path}; fund it with TRX)`,
    `  HotWalletsJson  ${r.hot_wallets_json}`,
    '',
    `1. Store the mnemonic in Secrets Manager${file === null ? ' (from a file: write the words to it with an editor, not with echo)' : ''}; it prints the secret's ARN:`,
    `     ${r.create_secret_command}`,
    '   (file:// makes the AWS CLI read the file: the words never appear on a command line. Add --kms-key-id for a key of your own.)',
    '2. Deploy with these parameters, and the others of README "Deploy":',
    `     npx cdk deploy ${r.deploy_parameters}`,
    `3. Once the secret exists and your offline backup is checked, delete the file: shred -u ${shellQuote(file ?? 'mnemonic.txt')}`,
    '',
  ];
  return lines.join('\n');
}

/**
 * One line from the terminal with echo off (the prompt on stderr, so stdout stays the command's
 * output); piped standard input is read whole (`pass show tollgate | tollgate keys show`).
 */
export async function readHiddenFromTerminal(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  process.stderr.write(prompt);
  // readline echoes what is typed to its output: this one writes nowhere.
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({ input: process.stdin, output: silent, terminal: true });
  try {
    return await rl.question('');
  } finally {
    rl.close();
    process.stderr.write('\n');
  }
}
