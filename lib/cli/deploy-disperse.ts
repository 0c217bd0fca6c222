/**
 * `tollgate chain deploy-disperse CHAIN`: puts the mass payout contract (the committed artifact of
 * lib/contracts/TollgateDisperse.sol) on a real EVM chain from the deployment's hot wallet, and
 * prints the configuration that makes the gateway use it. The mnemonic never appears on a
 * command line: it is read from a file (--mnemonic-file or MNEMONIC_FILE), the MNEMONIC variable,
 * or typed at the prompt. The RPC URL comes from --rpc-url or TOLLGATE_RPC_URL (a provider URL
 * often carries its key).
 */
import { readFileSync } from 'node:fs';
import { getAddress, JsonRpcProvider, Network, Wallet } from 'ethers';
import { signingKeys } from '../../shared/adapters/chains/signing-keys';
import { MnemonicError, validMnemonic } from '../../shared/adapters/secrets/mnemonic';
import { CHAINS, type ChainId } from '../../shared/domain/currencies';
import { readDisperseArtifact } from '../contracts/compile';
import { CliError } from './target';

/** How long the deploy transaction may take to be mined (a slow chain at a busy hour). */
const DEPLOY_RECEIPT_TIMEOUT_MS = 10 * 60_000;

export type DeployDisperseResult = {
  chain: string;
  chain_id: number;
  contract: string;
  deployer: string;
  tx_hash: string;
  gas_used: string;
  /** Merge into the stack parameter ChainsJson (AWS) or CHAINS_JSON (elsewhere). */
  chains_json: Record<string, { disperseContract: string }>;
};

async function mnemonicOf(flags: { 'mnemonic-file'?: string }, env: Record<string, string | undefined>, ask: (prompt: string) => Promise<string>): Promise<string> {
  const file = flags['mnemonic-file'] ?? env.MNEMONIC_FILE;
  try {
    if (file) return validMnemonic(readFileSync(file, 'utf8'), file);
    if (env.MNEMONIC) return validMnemonic(env.MNEMONIC, 'MNEMONIC');
    return validMnemonic(await ask('Deployment mnemonic (not echoed to any log; the hot wallet pays the gas): '), 'the prompt');
  } catch (e) {
    if (e instanceof MnemonicError) throw new CliError(e.message);
    if (e instanceof Error && 'code' in e && e.code === 'ENOENT') throw new CliError(`no mnemonic file at ${file}`);
    throw e;
  }
}

export async function deployDisperse(
  chainArg: string | undefined,
  flags: { 'rpc-url'?: string; 'mnemonic-file'?: string; 'chain-id'?: string },
  env: Record<string, string | undefined>,
  ask: (prompt: string) => Promise<string>,
): Promise<DeployDisperseResult> {
  const chain = chainArg && Object.hasOwn(CHAINS, chainArg) ? CHAINS[chainArg as ChainId] : undefined;
  if (chain?.family !== 'evm') {
    throw new CliError(`chain deploy-disperse needs an EVM chain: ${Object.values(CHAINS).filter((c) => c.family === 'evm' && c.enabled).map((c) => c.id).join(', ')}`);
  }
  const rpcUrl = flags['rpc-url'] ?? env.TOLLGATE_RPC_URL;
  if (!rpcUrl || !URL.canParse(rpcUrl)) throw new CliError('chain deploy-disperse needs the chain\'s RPC URL: --rpc-url URL or TOLLGATE_RPC_URL');
  const chainId = flags['chain-id'] === undefined ? chain.chainId : Number(flags['chain-id']);
  if (!Number.isSafeInteger(chainId) || chainId <= 0) throw new CliError(`--chain-id must be a positive integer, got ${flags['chain-id']}`);

  const provider = new JsonRpcProvider(rpcUrl, Network.from(chainId), { staticNetwork: true });
  try {
    // The endpoint first: a URL of another network fails before the mnemonic is even read.
    const answered = Number(await provider.send('eth_chainId', []));
    if (answered !== chainId) throw new CliError(`${new URL(rpcUrl).host} serves chain id ${answered}, not ${chain.name}'s ${chainId} (a testnet: pass --chain-id)`);
    const hot = signingKeys(await mnemonicOf(flags, env, ask), 'evm').hot();
    const artifact = readDisperseArtifact();
    const wallet = new Wallet(hot.privateKey, provider);
    // 'pending': a withdrawal of the same hot wallet in the pool keeps its nonce (README: deploy before paying out, or while nothing is in flight).
    const nonce = await provider.getTransactionCount(wallet.address, 'pending');
    const sent = await wallet.sendTransaction({ data: artifact.bytecode, nonce });
    const receipt = await sent.wait(1, DEPLOY_RECEIPT_TIMEOUT_MS);
    if (receipt?.status !== 1 || !receipt.contractAddress) throw new CliError(`the deploy transaction ${sent.hash} failed on chain`);
    const contract = getAddress(receipt.contractAddress);
    if ((await provider.getCode(contract)) === '0x') throw new CliError(`no code at ${contract} after the deploy ${sent.hash}`);
    return {
      chain: chain.id,
      chain_id: chainId,
      contract,
      deployer: wallet.address,
      tx_hash: sent.hash,
      gas_used: receipt.gasUsed.toString(),
      chains_json: { [chain.id]: { disperseContract: contract } },
    };
  } finally {
    provider.destroy();
  }
}

/** What a person reads: the address, and exactly what to set. */
export function humanDeployDisperse(result: unknown): string {
  const r = result as DeployDisperseResult;
  return [
    `TollgateDisperse deployed on ${r.chain} (chain id ${r.chain_id})`,
    `  contract   ${r.contract}`,
    `  deployer   ${r.deployer} (the hot wallet)`,
    `  tx         ${r.tx_hash} (${r.gas_used} gas)`,
    '',
    `Set it in the chain's entry of the stack parameter ChainsJson (CHAINS_JSON elsewhere), keeping the entry's other fields:`,
    `  "${r.chain}": { ..., "disperseContract": "${r.contract}" }`,
    `e.g. --parameters ChainsJson='${JSON.stringify(r.chains_json)}'`,
    '',
  ].join('\n');
}
