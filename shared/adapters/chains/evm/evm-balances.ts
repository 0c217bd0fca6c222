/**
 * Read-only balances on an EVM chain for reconciliation and the hot wallet view: eth_getBalance
 * for the native coin, ERC-20 balanceOf through eth_call for tokens. No key anywhere.
 */
import { getAddress } from 'ethers';
import * as z from 'zod';
import { type ChainDeployment, contractOf } from '../../../domain/chains';
import { nativeCurrencyOf } from '../../../domain/currencies';
import type { ChainBalanceReader } from '../../../ports/reconciliation';
import type { JsonRpcClient } from './json-rpc';

const hex = z.string().regex(/^0x[0-9a-fA-F]*$/);
const quantity = hex.transform((v) => BigInt(v));
/** ERC-20 `balanceOf(address)`. */
const BALANCE_OF_SELECTOR = '0x70a08231';

export class EvmBalanceReader implements ChainBalanceReader {
  readonly chain;
  private verified = false;

  constructor(
    private readonly deployment: ChainDeployment,
    private readonly rpc: JsonRpcClient,
  ) {
    this.chain = deployment.chain;
  }

  /** Another network's balances would make a false report: the endpoint must serve this chain. */
  private async verifyChain(): Promise<void> {
    if (this.verified) return;
    const id = Number(await this.rpc.call('eth_chainId', [], quantity));
    if (id !== this.deployment.evmChainId) throw new Error(`the RPC endpoint for ${this.chain} serves chain id ${id}, expected ${this.deployment.evmChainId}; check its RPC URL`);
    this.verified = true;
  }

  async balanceOf(address: string, code: string): Promise<bigint> {
    // The native coin is read for the fee reserve even where the chain does not take it in payment.
    const contract = code === nativeCurrencyOf(this.chain).code ? null : contractOf(this.deployment, code);
    if (contract === undefined) throw new Error(`${code} is not served on ${this.chain}`);
    await this.verifyChain();
    const holder = getAddress(address.toLowerCase());
    if (contract === null) return this.rpc.call('eth_getBalance', [holder, 'latest'], quantity);
    const answer = await this.rpc.call('eth_call', [{ to: contract, data: `${BALANCE_OF_SELECTOR}${holder.slice(2).toLowerCase().padStart(64, '0')}` }, 'latest'], hex);
    if (answer.length !== 66) throw new Error(`${this.chain}: ${code} balanceOf answered ${answer.length === 2 ? 'nothing' : 'a malformed word'} (is ${contract} a token?)`);
    return BigInt(answer);
  }
}
