/**
 * What a wallet scans: an EIP-681 request for EVM chains (token transfer or native value, with
 * the chain id, so a wallet on the wrong network warns), the bare address where no URI scheme is
 * widely read (Tron: TronLink, Trust and exchanges scan a plain `T...` address).
 */
import type { ChainDeployment } from './chains';
import type { CryptoCurrency } from './currencies';

export function paymentUri(deployment: Pick<ChainDeployment, 'evmChainId' | 'currencies' | 'family'>, currency: CryptoCurrency, to: string, units: bigint): string {
  if (units <= 0n || deployment.family !== 'evm') return to;
  const contract = deployment.currencies.find((c) => c.currency.code === currency.code)?.contract ?? null;
  return contract ? `ethereum:${contract}@${deployment.evmChainId}/transfer?address=${to}&uint256=${units}` : `ethereum:${to}@${deployment.evmChainId}?value=${units}`;
}
