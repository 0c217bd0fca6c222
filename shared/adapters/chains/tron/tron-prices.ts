/**
 * Tron's resource prices in sun, from the node's chain parameters: what the sender bids with and
 * what invoices' network fees are estimated at (burn mode: no staked energy assumed).
 */
import * as z from 'zod';
import type { TronGridClient } from './trongrid-client';

/**
 * Sending TRX to an account that does not exist yet creates it: 1 TRX plus 0.1 TRX instead of
 * bandwidth (chain parameters getCreateNewAccountFeeInSystemContract and getCreateAccountFee).
 */
const ACCOUNT_CREATION_SUN_DEFAULT = { system: 1_000_000n, bandwidth: 100_000n };
/** Mainnet prices (sun) used when the node does not list a parameter. */
const PRICE_DEFAULTS = { energy: 210n, bandwidth: 1_000n };

const parametersShape = z.object({ chainParameter: z.array(z.object({ key: z.string(), value: z.number().optional() })).default([]) });

/** Sun per unit of energy and bandwidth, and per account created. */
export type TronPrices = { energy: bigint; bandwidth: bigint; creation: bigint };

export async function readTronPrices(client: TronGridClient): Promise<TronPrices> {
  const { chainParameter } = await client.post('/wallet/getchainparameters', {}, parametersShape);
  // A listed key without a value is 0 (proto3 leaves zeros out); an unlisted one takes mainnet's figure.
  const of = (key: string, fallback: bigint) => {
    const listed = chainParameter.find((p) => p.key === key);
    return listed ? BigInt(listed.value ?? 0) : fallback;
  };
  return {
    energy: of('getEnergyFee', PRICE_DEFAULTS.energy),
    bandwidth: of('getTransactionFee', PRICE_DEFAULTS.bandwidth),
    creation: of('getCreateNewAccountFeeInSystemContract', ACCOUNT_CREATION_SUN_DEFAULT.system) + of('getCreateAccountFee', ACCOUNT_CREATION_SUN_DEFAULT.bandwidth),
  };
}
