/**
 * A chain's current resource prices for the network fee estimate (shared/domain/network-fee.ts),
 * one request each. EVM: `eth_gasPrice`, the node's suggestion of what a transaction pays per gas
 * now (base fee plus a tip), which is what a sweep is expected to pay, not the most it bids for.
 * Tron: the chain parameters (energy and bandwidth in sun, and the account creation fee).
 */
import * as z from 'zod';
import type { ResourcePrices } from '../../domain/network-fee';
import type { FeePriceReader } from '../../ports/network-fees';
import type { JsonRpcClient } from './evm/json-rpc';
import { readTronPrices } from './tron/tron-prices';
import type { TronGridClient } from './tron/trongrid-client';

const quantity = z
  .string()
  .regex(/^0x[0-9a-fA-F]{1,64}$/)
  .transform((v) => BigInt(v));

export class EvmFeePriceReader implements FeePriceReader {
  constructor(private readonly rpc: JsonRpcClient) {}

  get calls(): number {
    return this.rpc.calls;
  }

  async prices(): Promise<ResourcePrices> {
    return { gas: await this.rpc.call('eth_gasPrice', [], quantity) };
  }
}

export class TronFeePriceReader implements FeePriceReader {
  constructor(private readonly client: TronGridClient) {}

  get calls(): number {
    return this.client.calls;
  }

  async prices(): Promise<ResourcePrices> {
    const p = await readTronPrices(this.client);
    return { energy: p.energy, bandwidth: p.bandwidth, accountCreation: p.creation };
  }
}
