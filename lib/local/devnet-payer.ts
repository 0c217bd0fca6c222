/**
 * Pays on the local chains from their funded payers: `tollgate devnet pay` and the payment page's
 * test button both come here, so the demo and the CLI move money the same way. EVM codes go to
 * anvil, Tron codes to the TronGrid simulator.
 */
import { isAddressShape } from '../../shared/domain/chain-families';
import { CHAINS, findCrypto } from '../../shared/domain/currencies';
import { parseDecimal, toScale } from '../../shared/domain/money';
import type { DevnetInfo } from './dev-defaults';
import { devnetPay } from './engines/devnet';
import { tronDevnetPay } from './engines/tron';

export type DevnetPayRequest = { code: string; to: string; amount: string };
/** `rpc_url` is the endpoint paid through: anvil's JSON-RPC, or the simulator's base URL for Tron. */
export type DevnetPayResult = { tx_hash: string; code: string; to: string; amount: string; amount_units: string; rpc_url: string };

export async function payOnDevnet(devnet: DevnetInfo, request: DevnetPayRequest): Promise<DevnetPayResult> {
  const code = request.code.toUpperCase();
  if (!devnet.codes.includes(code)) throw new Error(`the devnet serves ${devnet.codes.join(', ')}, not ${request.code}`);
  const currency = findCrypto(code);
  if (!currency) throw new Error(`unknown currency ${request.code}`);
  const tron = CHAINS[currency.chain].family === 'tron';
  if (!isAddressShape(currency.chain, request.to)) {
    throw new Error(`--to must be ${tron ? 'a Tron address (T..., 34 characters)' : 'a 0x address'} for ${code}, got ${JSON.stringify(request.to)}`);
  }
  const amount = parseDecimal(request.amount);
  if (!amount.ok || amount.value.units <= 0n) throw new Error(`--amount must be a positive number, got ${JSON.stringify(request.amount)}`);
  if (amount.value.scale > currency.decimals) throw new Error(`${code} has ${currency.decimals} decimals; ${request.amount} has more`);
  const units = toScale(amount.value, currency.decimals, 'down');
  const token = currency.contract === null ? null : (devnet.tokens[code] ?? null);
  if (currency.contract !== null && !token) throw new Error(`the devnet has no contract for ${code}`);
  if (tron) {
    // A runtime.json written by a gateway from before Tron was local has no `tron`.
    if (!devnet.tron) throw new Error(`the running gateway has no local Tron network; restart it with \`npm start\``);
    const { txHash } = await tronDevnetPay(devnet.tron.api_url, devnet.tron.payer_private_key, { token, to: request.to, amount: units });
    return { tx_hash: txHash, code, to: request.to, amount: request.amount, amount_units: units.toString(), rpc_url: devnet.tron.api_url };
  }
  const { txHash } = await devnetPay(devnet.rpc_url, devnet.payer_private_key, { token, to: request.to, amount: units });
  return { tx_hash: txHash, code, to: request.to, amount: request.amount, amount_units: units.toString(), rpc_url: devnet.rpc_url };
}
