/**
 * Pays on the local devnet from its funded payer: `tollgate devnet pay` and the payment page's
 * test button both come here, so the demo and the CLI move money the same way.
 */
import { findCrypto } from '../../shared/domain/currencies';
import { parseDecimal, toScale } from '../../shared/domain/money';
import type { DevnetInfo } from './dev-defaults';
import { devnetPay } from './engines/devnet';

export type DevnetPayRequest = { code: string; to: string; amount: string };
export type DevnetPayResult = { tx_hash: string; code: string; to: string; amount: string; amount_units: string; rpc_url: string };

export async function payOnDevnet(devnet: DevnetInfo, request: DevnetPayRequest): Promise<DevnetPayResult> {
  const code = request.code.toUpperCase();
  if (!devnet.codes.includes(code)) throw new Error(`the devnet serves ${devnet.codes.join(', ')}, not ${request.code}`);
  const currency = findCrypto(code);
  if (!currency) throw new Error(`unknown currency ${request.code}`);
  if (!/^0x[0-9a-fA-F]{40}$/.test(request.to)) throw new Error(`--to must be a 0x address, got ${JSON.stringify(request.to)}`);
  const amount = parseDecimal(request.amount);
  if (!amount.ok || amount.value.units <= 0n) throw new Error(`--amount must be a positive number, got ${JSON.stringify(request.amount)}`);
  if (amount.value.scale > currency.decimals) throw new Error(`${code} has ${currency.decimals} decimals; ${request.amount} has more`);
  const units = toScale(amount.value, currency.decimals, 'down');
  const token = currency.contract === null ? null : (devnet.tokens[code] ?? null);
  if (currency.contract !== null && !token) throw new Error(`the devnet has no contract for ${code}`);
  const { txHash } = await devnetPay(devnet.rpc_url, devnet.payer_private_key, { token, to: request.to, amount: units });
  return { tx_hash: txHash, code, to: request.to, amount: request.amount, amount_units: units.toString(), rpc_url: devnet.rpc_url };
}
