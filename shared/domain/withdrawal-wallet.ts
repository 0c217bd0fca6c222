/**
 * Withdrawal wallets: the saved recipient addresses a project may withdraw to, one currency each.
 * Adding one, or changing its address, needs a fresh second-factor code and starts a cooling-off
 * period before it can receive funds, so a stolen key cannot redirect money at once:
 *
 *   added (createdAt) ──── cooling off ────▶ usableFrom ──── usable ────▶ removed (removedAt, never usable again)
 *   address changed (now) ── cooling off ──▶ new usableFrom
 *   label changed: no new cooling-off (money still goes where it went)
 */
import { CHAIN_FAMILIES, familyOf, isAddressShape, sameAddress } from './chain-families';
import { CHAINS, type ChainFamily, type CryptoCurrency, findCrypto } from './currencies';
import type { Instant } from './time';

export type WithdrawalWallet = {
  id: string;
  shopId: string;
  /** The currency it receives (a code of the registry, e.g. USDT_TRC20). */
  code: string;
  address: string;
  label: string;
  createdAt: Instant;
  /** The end of the cooling-off: createdAt, or the last address change, plus the deployment's cooling-off. */
  usableFrom: Instant;
  /** Removed wallets stay as records (the audit trail names them) and are never usable. */
  removedAt: Instant | null;
  version: number;
};

/** Why a wallet cannot receive a withdrawal now (what `usableWithdrawalWallet` answers besides the wallet). */
export type WalletRefusal =
  | { kind: 'unknown_wallet' }
  | { kind: 'cooling_off'; usableFrom: Instant }
  | { kind: 'wrong_currency'; walletCode: string; code: string };

export const WITHDRAWAL_WALLET_LABEL_MAX = 64;
/** Saved wallets per project (removed ones included: they are kept as records). */
export const WITHDRAWAL_WALLETS_PER_PROJECT_MAX = 100;
/** The default cooling-off (WITHDRAWAL_COOLING_OFF_HOURS). */
export const COOLING_OFF_HOURS_DEFAULT = 24;

export function labelProblem(label: string): string | null {
  if (label.length > WITHDRAWAL_WALLET_LABEL_MAX) return `label is ${label.length} characters long; at most ${WITHDRAWAL_WALLET_LABEL_MAX} are allowed.`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(label)) return 'label must not contain control or bidirectional characters.';
  return null;
}

const FORMAT: Record<ChainFamily, string> = {
  evm: '0x followed by 40 hexadecimal digits',
  tron: 'T followed by 33 base58 characters',
};

const CHECKSUM_HINT: Record<ChainFamily, string> = {
  evm: 'its EIP-55 checksum (the mix of upper and lower case) is wrong: check it for a typo, or paste it again from the wallet',
  tron: 'its base58check checksum is wrong: check it for a typo, or paste it again from the wallet',
};

/**
 * Why `address` cannot receive `currency`, in words for the person who typed it; null when it
 * can. `checksumOk` is the family adapter's full check (ADDRESS_CHECKS), which needs hashing.
 */
export function withdrawalAddressProblem(currency: CryptoCurrency, address: string, checksumOk: boolean): string | null {
  const chain = CHAINS[currency.chain];
  const family = familyOf(currency.chain);
  if (!isAddressShape(currency.chain, address)) {
    const other = (Object.keys(CHAIN_FAMILIES) as ChainFamily[]).find((f) => f !== family && CHAIN_FAMILIES[f].addressPattern.test(address));
    const where = `${currency.code} is paid on ${chain.name} (${chain.network.code}), whose addresses are ${FORMAT[family]}`;
    return other ? `${address.slice(0, 64)} is an address of another network; ${where}.` : `address is not a valid address on ${chain.name}: ${where}.`;
  }
  if (!checksumOk) return `address ${address} is not valid on ${chain.name}: ${CHECKSUM_HINT[family]}.`;
  if (family === 'evm' && /^0x0{40}$/.test(address)) return 'address is the zero address: funds sent there are burnt.';
  return null;
}

export function newWithdrawalWallet(input: { id: string; shopId: string; code: string; address: string; label: string; now: Instant; coolingOffMs: number }): WithdrawalWallet {
  const { now, coolingOffMs, ...rest } = input;
  return { ...rest, createdAt: now, usableFrom: now + coolingOffMs, removedAt: null, version: 1 };
}

/** A new address starts a new cooling-off; a new label alone does not. */
export function changedWithdrawalWallet(wallet: WithdrawalWallet, change: { address?: string; label?: string }, now: Instant, coolingOffMs: number): WithdrawalWallet {
  const chain = findCrypto(wallet.code)?.chain;
  const newAddress = change.address !== undefined && !(chain ? sameAddress(chain, change.address, wallet.address) : change.address === wallet.address);
  return {
    ...wallet,
    address: newAddress ? (change.address as string) : wallet.address,
    label: change.label ?? wallet.label,
    usableFrom: newAddress ? now + coolingOffMs : wallet.usableFrom,
    version: wallet.version + 1,
  };
}

export const removedWithdrawalWallet = (wallet: WithdrawalWallet, now: Instant): WithdrawalWallet => ({ ...wallet, removedAt: now, version: wallet.version + 1 });

/** Whether the wallet may receive a withdrawal in `code` at `now`. */
export function walletRefusal(wallet: WithdrawalWallet, code: string, now: Instant): WalletRefusal | null {
  if (wallet.removedAt !== null) return { kind: 'unknown_wallet' };
  if (wallet.code !== code) return { kind: 'wrong_currency', walletCode: wallet.code, code };
  if (now < wallet.usableFrom) return { kind: 'cooling_off', usableFrom: wallet.usableFrom };
  return null;
}
