/**
 * `tollgate keys init|show` (README "Deploy", step Keys): a new mnemonic goes only into a new
 * mode-600 file, stdout carries only public values, and those values are the ones the stack and
 * the senders derive (checked against ethers and tronweb independently of lib/local).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HDNodeWallet, Mnemonic } from 'ethers';
import { TronWeb } from 'tronweb';
import { afterAll, describe, expect, it } from 'vitest';
import { humanKeys, keys, type KeysResult } from '../../lib/cli/keys';
import { run } from '../../lib/cli/main';

const ROOT = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'tollgate-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<string> {
  let printed = '';
  await run(args, env, (s) => {
    printed += s;
  });
  return printed;
}

/** No three consecutive words of the phrase (single BIP39 words are ordinary English and may appear in prose). */
function leaksPhrase(output: string, phrase: string): boolean {
  const words = phrase.split(' ');
  const text = ` ${output.toLowerCase().replace(/[^a-z]+/g, ' ')} `;
  return words.slice(0, -2).some((_, i) => text.includes(` ${words.slice(i, i + 3).join(' ')} `));
}

/** What the stack's parameters must be, derived here with ethers and tronweb directly. */
function expected(phrase: string) {
  const node = (path: string) => HDNodeWallet.fromPhrase(phrase, undefined, path);
  return {
    evmDeposit0: node("m/44'/60'/0'/0/0").address,
    tronDeposit0: node("m/44'/195'/0'/0/0").address,
    evmHot: node("m/44'/60'/1'/0/0").address,
    tronHot: TronWeb.address.fromPrivateKey(node("m/44'/195'/1'/0/0").privateKey.slice(2)),
  };
}

describe('tollgate keys init', () => {
  const file = join(dir, 'mnemonic.txt');
  let printed = '';

  it('writes a new 24-word mnemonic to a new file with mode 600, and prints none of it', async () => {
    printed = await cli(['keys', 'init', '--mnemonic-file', file]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const phrase = readFileSync(file, 'utf8').trim();
    expect(Mnemonic.isValidMnemonic(phrase)).toBe(true);
    expect(phrase.split(' ')).toHaveLength(24);
    expect(leaksPhrase(printed, phrase)).toBe(false);
  });

  it('prints xpubs and hot wallets that match the derivation (deposits from the xpub, hot wallets from their own account)', () => {
    const phrase = readFileSync(file, 'utf8').trim();
    const want = expected(phrase);
    const evmXpub = /EvmXpub\s+(xpub\w+)/.exec(printed)?.[1] ?? '';
    const tronXpub = /TronXpub\s+(xpub\w+)/.exec(printed)?.[1] ?? '';
    // Watch-only: what the deployed functions derive from the parameters alone.
    expect(HDNodeWallet.fromExtendedKey(evmXpub).derivePath('0/0').address).toBe(want.evmDeposit0);
    expect(HDNodeWallet.fromExtendedKey(tronXpub).derivePath('0/0').address).toBe(want.tronDeposit0);
    expect(evmXpub).toBe(HDNodeWallet.fromPhrase(phrase, undefined, "m/44'/60'/0'").neuter().extendedKey);
    expect(printed).toContain(want.evmHot);
    expect(printed).toContain(want.tronHot);
    expect(printed).toContain(`"ethereum":"${want.evmHot}"`);
    expect(printed).toContain(`"tron":"${want.tronHot}"`);
  });

  it('gives the create-secret line reading the file (file://, never the value), and says to shred the file', () => {
    expect(printed).toContain(`aws secretsmanager create-secret --name tollgate/mnemonic --secret-string file://${file} --query ARN --output text`);
    expect(printed).toContain(`shred -u ${file}`);
    expect(printed).toMatch(/npx cdk deploy --parameters EvmXpub=xpub\w+ --parameters TronXpub=xpub\w+ --parameters HotWalletsJson='\{.*\}' --parameters MnemonicSecretArn=/);
  });

  it('refuses to overwrite an existing file, leaving it as it was', async () => {
    const before = readFileSync(file, 'utf8');
    await expect(cli(['keys', 'init', '--mnemonic-file', file])).rejects.toThrow(/already exists: refusing to overwrite/);
    expect(readFileSync(file, 'utf8')).toBe(before);
    await expect(cli(['keys', 'init'])).rejects.toThrow(/keys init needs --mnemonic-file PATH/);
  });

  it('show reads the file back to the same public values; --json carries no mnemonic either', async () => {
    const phrase = readFileSync(file, 'utf8').trim();
    const json = JSON.parse(await cli(['keys', 'show', '--mnemonic-file', file, '--chain', 'base,tron', '--json'])) as KeysResult;
    expect(json.created).toBe(false);
    expect(json.evm_xpub).toBe(/EvmXpub\s+(xpub\w+)/.exec(printed)?.[1]);
    expect(JSON.parse(json.hot_wallets_json)).toEqual({ base: expected(phrase).evmHot, tron: expected(phrase).tronHot });
    expect(leaksPhrase(JSON.stringify(json), phrase)).toBe(false);
    expect(json.warnings).toEqual([]);
  });
});

describe('tollgate keys show', () => {
  const phrase = Mnemonic.fromEntropy(new Uint8Array(16).fill(7)).phrase;

  it('reads the mnemonic from the no-echo prompt when no file is given, and names a file for the secret', async () => {
    let asked = '';
    const readHidden = async (prompt: string) => {
      asked = prompt;
      return `  ${phrase}\n`;
    };
    const result = await keys('show', {}, {}, { readHidden });
    expect(asked).toContain('not echoed');
    expect(result.mnemonic_file).toBeNull();
    expect(HDNodeWallet.fromExtendedKey(result.evm_xpub).derivePath('0/0').address).toBe(expected(phrase).evmDeposit0);
    const text = humanKeys(result);
    expect(text).toContain('--secret-string file://mnemonic.txt');
    expect(leaksPhrase(text, phrase)).toBe(false);
  });

  it('reads piped standard input (the real terminal reader), and warns about a file others can read', () => {
    const loose = join(dir, 'loose.txt');
    writeFileSync(loose, phrase);
    chmodSync(loose, 0o644);
    const env = { ...process.env, MNEMONIC_FILE: undefined };
    const piped = spawnSync(join(ROOT, 'node_modules/.bin/tsx'), ['lib/cli/main.ts', 'keys', 'show', '--json'], { cwd: ROOT, input: `${phrase}\n`, env, encoding: 'utf8', timeout: 60_000 });
    expect(piped.stderr).toBe('');
    expect(JSON.parse(piped.stdout).evm_xpub).toBe(HDNodeWallet.fromPhrase(phrase, undefined, "m/44'/60'/0'").neuter().extendedKey);
    expect(leaksPhrase(piped.stdout, phrase)).toBe(false);
    return keys('show', { 'mnemonic-file': loose }, {}).then((r) => expect(r.warnings).toEqual([`${loose} is readable by other users (mode 644): chmod 600 ${loose}`]));
  }, 60_000);

  it('refuses what is not a BIP39 phrase without echoing it, an unknown chain listing the valid ones, and an unknown action', async () => {
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, 'correct horse battery staple', { mode: 0o600 });
    await expect(keys('show', { 'mnemonic-file': bad }, {})).rejects.toThrow(/has 4 words, expected 12, 15, 18, 21 or 24/);
    await expect(keys('show', { 'mnemonic-file': bad }, {})).rejects.not.toThrow(/horse/);
    await expect(keys('show', { 'mnemonic-file': join(dir, 'none.txt') }, {})).rejects.toThrow(/no mnemonic file at/);
    await expect(keys('show', { chain: 'ethereum,solana' }, {})).rejects.toThrow(/unknown chain "solana"; valid chains: ethereum, bsc/);
    await expect(cli(['keys', 'rotate'])).rejects.toThrow(/unknown command "keys rotate"/);
  });
});
