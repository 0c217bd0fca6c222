/**
 * Read-only balances on Tron for reconciliation and the hot wallet view, over TronGrid: TRX from
 * /wallet/getaccount, TRC-20 balanceOf through /wallet/triggerconstantcontract (a constant call,
 * nothing signed). No tronweb, no key.
 */
import * as z from 'zod';
import { type ChainDeployment, contractOf } from '../../../domain/chains';
import { nativeCurrencyOf } from '../../../domain/currencies';
import type { ChainBalanceReader } from '../../../ports/reconciliation';
import { isTronAddress, tronAddressToHex } from './address';
import type { TronGridClient } from './trongrid-client';

const nothing = z.strictObject({}).transform(() => null);
const accountShape = z.union([z.object({ balance: z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).default(0) }).loose(), nothing]);
const constantShape = z.object({ result: z.object({ result: z.boolean().optional() }).loose().optional(), constant_result: z.array(z.string()).default([]) });
const genesisShape = z.union([z.object({ blockID: z.string().regex(/^[0-9a-f]{64}$/) }).loose(), nothing]);

export class TronBalanceReader implements ChainBalanceReader {
  readonly chain;
  private verified = false;

  constructor(
    private readonly deployment: ChainDeployment,
    private readonly client: TronGridClient,
  ) {
    this.chain = deployment.chain;
  }

  /** As the reader: the genesis block names the network; the local simulator has its own. */
  private async verifyChain(): Promise<void> {
    if (this.verified || this.deployment.devnet) return;
    const genesis = await this.client.post('/wallet/getblockbynum', { num: 0 }, genesisShape);
    const id = genesis ? Number.parseInt(genesis.blockID.slice(-8), 16) : null;
    if (id !== this.deployment.evmChainId) throw new Error(`the TronGrid endpoint for ${this.chain} serves chain id ${id}, expected ${this.deployment.evmChainId}; check its URL`);
    this.verified = true;
  }

  async balanceOf(address: string, code: string): Promise<bigint> {
    if (!isTronAddress(address)) throw new Error(`${this.chain}: not a Tron address: ${JSON.stringify(address)}`);
    // The native coin is read for the fee reserve even where the chain does not take it in payment.
    const contract = code === nativeCurrencyOf(this.chain).code ? null : contractOf(this.deployment, code);
    if (contract === undefined) throw new Error(`${code} is not served on ${this.chain}`);
    await this.verifyChain();
    if (contract === null) {
      const account = await this.client.post('/wallet/getaccount', { address, visible: true }, accountShape);
      return account ? BigInt(account.balance) : 0n; // `{}`: the account does not exist yet
    }
    const answer = await this.client.post(
      '/wallet/triggerconstantcontract',
      { owner_address: address, contract_address: contract, function_selector: 'balanceOf(address)', parameter: tronAddressToHex(address).slice(2).padStart(64, '0'), visible: true },
      constantShape,
    );
    const word = answer.constant_result[0];
    if (answer.result?.result !== true || !word || !/^[0-9a-fA-F]{64}$/.test(word)) throw new Error(`${this.chain}: ${code} balanceOf answered no word (is ${contract} a token?)`);
    return BigInt(`0x${word}`);
  }
}
