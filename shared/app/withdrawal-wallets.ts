/**
 * Withdrawal wallets: the saved recipients a project may withdraw to. Adding, changing or
 * removing one spends a fresh second-factor code, written in one transaction with the wallet and
 * its audit event; a new address waits out the cooling-off (shared/domain/withdrawal-wallet.ts)
 * before `usableWithdrawalWallet` lets a withdrawal use it.
 */
import type { AuditActor } from '../domain/audit';
import { sameAddress } from '../domain/chain-families';
import { servedCurrency } from '../domain/chains';
import { CHAINS, ENABLED_CRYPTO_CODES, findCrypto } from '../domain/currencies';
import { err, ok, type Result } from '../domain/result';
import { isoTime, type Instant } from '../domain/time';
import {
  changedWithdrawalWallet,
  labelProblem,
  newWithdrawalWallet,
  removedWithdrawalWallet,
  type WalletRefusal,
  WITHDRAWAL_WALLETS_PER_PROJECT_MAX,
  type WithdrawalWallet,
  walletRefusal,
  withdrawalAddressProblem,
} from '../domain/withdrawal-wallet';
import type { Deps } from '../ports';
import { auditEvent } from './audit';
import type { AppError } from './errors';
import { withFreshCode } from './second-factor';

type Who = { shopId: string; now: Instant; actor: AuditActor; code: string };

const invalid = (field: string, message: string): Result<never, AppError> => err({ kind: 'withdrawal_wallet.invalid', field, message });

/** A wallet reference as the integrator's requests carry it: a saved wallet's id, or an address with its currency. */
export type WalletRef = { walletId: string; code?: string } | { address: string; code: string };

/** A wallet refusal as the API renders it. */
export const unusableWallet = (refusal: WalletRefusal): AppError => ({ kind: 'withdrawal_wallet.unusable', refusal });

/** The project's wallets, oldest first; removed ones only when asked. */
export async function listWithdrawalWallets(deps: Deps, input: { shopId: string; includeRemoved: boolean }): Promise<Result<WithdrawalWallet[], AppError>> {
  const all = await deps.withdrawalWallets.list(input.shopId);
  return ok(input.includeRemoved ? all : all.filter((w) => w.removedAt === null));
}

/** The address's problem for the wallet's currency, in words; checksums by the family's adapter. */
function addressProblem(deps: Deps, code: string, address: string): string | null {
  const currency = findCrypto(code);
  if (!currency) return `Unknown currency '${code}'`;
  return withdrawalAddressProblem(currency, address, deps.addressChecks[CHAINS[currency.chain].family](address));
}

/** Adds a wallet: validated first (a bad request spends no code), then written with the fresh code it spends. */
export async function addWithdrawalWallet(deps: Deps, who: Who, input: { currency: string; address: string; label: string }): Promise<Result<WithdrawalWallet, AppError>> {
  const code = input.currency.trim().toUpperCase();
  if (!findCrypto(code)) return invalid('currency', `Unknown currency '${input.currency.slice(0, 40)}'. Available: ${ENABLED_CRYPTO_CODES.join(', ')}`);
  if (!servedCurrency(deps.chains, code)) return invalid('currency', `${code} is not served by this gateway: its chain is not configured (CHAINS_JSON), so nothing could be withdrawn in it`);
  const address = input.address.trim();
  const problem = addressProblem(deps, code, address);
  if (problem) return invalid('address', problem);
  const labelIssue = labelProblem(input.label);
  if (labelIssue) return invalid('label', labelIssue);
  if ((await deps.withdrawalWallets.list(who.shopId)).length >= WITHDRAWAL_WALLETS_PER_PROJECT_MAX) {
    return invalid('wallet', `A project may save at most ${WITHDRAWAL_WALLETS_PER_PROJECT_MAX} withdrawal wallets (removed ones included)`);
  }
  const wallet = newWithdrawalWallet({ id: deps.ids.withdrawalWalletId(), shopId: who.shopId, code, address, label: input.label, now: who.now, coolingOffMs: deps.settings.withdrawalCoolingOffMs });
  const added = auditEvent(deps, {
    shopId: who.shopId,
    at: who.now,
    actor: who.actor,
    action: 'withdrawal_wallet.added',
    subject: wallet.id,
    details: { currency: code, address, label: wallet.label, usable_from: isoTime(wallet.usableFrom) },
  });
  return withFreshCode(deps, who, async (spent) => ((await deps.withdrawalWallets.write(wallet, null, spent.write, [...spent.events, added])) ? ok(wallet) : 'conflict'));
}

async function ownWallet(deps: Deps, shopId: string, walletId: string): Promise<Result<WithdrawalWallet, AppError>> {
  const wallet = await deps.withdrawalWallets.get(shopId, walletId);
  return wallet && wallet.removedAt === null ? ok(wallet) : err({ kind: 'withdrawal_wallet.not_found', id: walletId.slice(0, 40) });
}

/** A new address starts a new cooling-off; a new label alone does not. */
export async function changeWithdrawalWallet(deps: Deps, who: Who, input: { walletId: string; address: string | null; label: string | null }): Promise<Result<WithdrawalWallet, AppError>> {
  if (input.address === null && input.label === null) return invalid('address', 'Nothing to change: send address, label or both');
  const found = await ownWallet(deps, who.shopId, input.walletId);
  if (!found.ok) return found;
  const address = input.address?.trim() ?? null;
  const problem = address === null ? null : addressProblem(deps, found.value.code, address);
  if (problem) return invalid('address', problem);
  const labelIssue = input.label === null ? null : labelProblem(input.label);
  if (labelIssue) return invalid('label', labelIssue);
  return withFreshCode(deps, who, async (spent) => {
    // Read again inside the attempt: the change applies to the wallet as it is now.
    const current = await ownWallet(deps, who.shopId, input.walletId);
    if (!current.ok) return current;
    const before = current.value;
    const next = changedWithdrawalWallet(before, { ...(address === null ? {} : { address }), ...(input.label === null ? {} : { label: input.label }) }, who.now, deps.settings.withdrawalCoolingOffMs);
    const chain = findCrypto(before.code)?.chain;
    const moved = chain ? !sameAddress(chain, before.address, next.address) : before.address !== next.address;
    const changed = auditEvent(deps, {
      shopId: who.shopId,
      at: who.now,
      actor: who.actor,
      action: 'withdrawal_wallet.changed',
      subject: before.id,
      details: { currency: before.code, address_changed: moved, previous_address: before.address, address: next.address, previous_label: before.label, label: next.label, usable_from: isoTime(next.usableFrom) },
    });
    return (await deps.withdrawalWallets.write(next, before.version, spent.write, [...spent.events, changed])) ? ok(next) : 'conflict';
  });
}

/** A removed wallet is kept as a record, and never receives funds again. */
export async function removeWithdrawalWallet(deps: Deps, who: Who, input: { walletId: string }): Promise<Result<WithdrawalWallet, AppError>> {
  const found = await ownWallet(deps, who.shopId, input.walletId);
  if (!found.ok) return found;
  return withFreshCode(deps, who, async (spent) => {
    const current = await ownWallet(deps, who.shopId, input.walletId);
    if (!current.ok) return current;
    const next = removedWithdrawalWallet(current.value, who.now);
    const removed = auditEvent(deps, {
      shopId: who.shopId,
      at: who.now,
      actor: who.actor,
      action: 'withdrawal_wallet.removed',
      subject: next.id,
      details: { currency: next.code, address: next.address, label: next.label },
    });
    return (await deps.withdrawalWallets.write(next, current.value.version, spent.write, [...spent.events, removed])) ? ok(next) : 'conflict';
  });
}

/**
 * For the withdrawal integrator: the saved wallet a withdrawal may pay now, or why not:
 * `unknown_wallet` (none saved, or removed), `cooling_off` (with `usableFrom`), `wrong_currency`.
 * By address, the wallet of that currency and address (EVM addresses compare case-insensitively).
 */
export async function usableWithdrawalWallet(deps: Deps, shopId: string, ref: WalletRef, now: Instant): Promise<Result<WithdrawalWallet, WalletRefusal>> {
  if ('walletId' in ref) {
    const wallet = await deps.withdrawalWallets.get(shopId, ref.walletId);
    if (!wallet) return err({ kind: 'unknown_wallet' });
    const refusal = walletRefusal(wallet, ref.code ?? wallet.code, now);
    return refusal ? err(refusal) : ok(wallet);
  }
  const code = ref.code.trim().toUpperCase();
  const chain = findCrypto(code)?.chain;
  const live = (await deps.withdrawalWallets.list(shopId)).filter((w) => w.removedAt === null);
  const atAddress = live.filter((w) => {
    const walletChain = findCrypto(w.code)?.chain;
    return walletChain !== undefined && (chain ? walletChain === chain && sameAddress(chain, w.address, ref.address.trim()) : false);
  });
  const same = atAddress.filter((w) => w.code === code);
  if (same.length === 0) {
    const other = atAddress[0];
    return err(other ? { kind: 'wrong_currency', walletCode: other.code, code } : { kind: 'unknown_wallet' });
  }
  const usable = same.find((w) => walletRefusal(w, code, now) === null);
  if (usable) return ok(usable);
  return err({ kind: 'cooling_off', usableFrom: Math.min(...same.map((w) => w.usableFrom)) });
}
