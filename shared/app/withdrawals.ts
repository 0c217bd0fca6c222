/**
 * Withdrawals as the merchant asks for them: CryptoCloud's `out/create` (any address, bounded by
 * the API payout switch and its daily limit) and the native API and CLI (saved wallets only).
 * A request is validated and recorded here; its money moves in the withdrawal workflow
 * (shared/app/withdrawal-steps.ts), one execution per withdrawal, named by its id.
 */
import { type ChainDeployment, servedCurrency } from '../domain/chains';
import { type CryptoCurrency, findCrypto } from '../domain/currencies';
import { formatDecimal, fromUnits, parseDecimal, pow10, type Ratio, ratioToScale, toScale } from '../domain/money';
import { quoteFees, unitsToUsd } from '../domain/pricing';
import type { Project } from '../domain/project';
import { err, ok, type Result } from '../domain/result';
import { isoTime, type Instant, MINUTE_MS } from '../domain/time';
import { isCancelable, moveWithdrawal, type Withdrawal, type WithdrawalSource, withdrawalAmounts } from '../domain/withdrawal';
import type { Deps } from '../ports';
import { usdRateFrom } from './create-invoice';
import { recordAudit } from './audit';
import type { AppError } from './errors';
import { notifyWithdrawal } from './withdrawal-webhooks';
import { unusableWallet, usableWithdrawalWallet } from './withdrawal-wallets';

export type WithdrawalRequest = {
  code: string;
  toAddress: string;
  /** A saved withdrawal wallet's id, when paid to one (then `toAddress` is the wallet's). */
  walletId: string | null;
  /** Decimal text in the currency's units, as the merchant wrote it. */
  amount: string;
  source: WithdrawalSource;
  /** sha256 of the Idempotency-Key and of the request, when the client sent a key. */
  idempotency: { keyHash: string; requestHash: string } | null;
};

/** out/create requests per project and minute (CryptoCloud: one per 12 s). */
export const API_PAYOUTS_PER_MINUTE = 5;

/** Withdrawals above this many of a currency's units are refused as malformed (no real payout is near it). */
const AMOUNT_DIGITS_MAX = 30;

/** The currency, the chain it is sent on and the amount in base units, each refused under the reference's key. */
function parseRequest(deps: Deps, req: WithdrawalRequest): Result<{ currency: CryptoCurrency; deployment: ChainDeployment; amount: bigint }, AppError> {
  const invalid = (field: string, message: string) => err<AppError>({ kind: 'withdrawal.invalid', field, message });
  const served = servedForWithdrawal(deps, req.code);
  if (!served) return invalid('currency_code', `Unknown or unserved currency_code '${req.code}'. Served: ${servedCodes(deps).join(', ')}`);
  const { currency, deployment } = served;
  const badAddress = addressRefusal(deps, deployment, currency, req.toAddress.trim());
  if (badAddress) return invalid('network', badAddress);
  const amount = parseWithdrawalAmount(req.amount, currency);
  if (!amount.ok) return invalid('uncorrected_amount', amount.error);
  return ok({ currency, deployment, amount: amount.value });
}

/** The currency (case-insensitive code) and the chain it is sent on, when this deployment serves it. */
export function servedForWithdrawal(deps: Pick<Deps, 'chains'>, code: string): { currency: CryptoCurrency; deployment: ChainDeployment } | null {
  const currency = servedCurrency(deps.chains, code.trim().toUpperCase());
  const deployment = currency ? deps.chains.find((d) => d.chain === currency.chain) : undefined;
  return currency && deployment ? { currency, deployment } : null;
}

export const servedCodes = (deps: Pick<Deps, 'chains'>): string[] => deps.chains.flatMap((d) => d.currencies.map((c) => c.currency.code));

/** Why `address` cannot receive `currency` on its chain (wrong network, bad checksum), or null when it can. */
export function addressRefusal(deps: Pick<Deps, 'addressChecks'>, deployment: ChainDeployment, currency: CryptoCurrency, address: string): string | null {
  if (deps.addressChecks[deployment.family](address)) return null;
  return `to_address is not ${deployment.family === 'evm' ? 'an EVM address (0x + 40 hex, EIP-55 checksum when mixed case)' : 'a Tron address (T..., base58check)'} for ${currency.code}`;
}

/** A withdrawal amount in base units: positive, within the currency's precision, not absurdly large; else why not (withdrawals and mass payout items). */
export function parseWithdrawalAmount(text: string, currency: CryptoCurrency): Result<bigint, string> {
  const parsed = parseDecimal(text);
  if (!parsed.ok || parsed.value.units <= 0n) return err('amount must be a positive number');
  if (parsed.value.scale > currency.decimals) return err(`amount has more than ${currency.decimals} decimals, the precision of ${currency.code}`);
  const amount = toScale(parsed.value, currency.decimals, 'down');
  if (amount >= pow10(AMOUNT_DIGITS_MAX)) return err('amount is too large');
  return ok(amount);
}

/**
 * What a withdrawal of `amount` costs and holds: the network fee in the withdrawn currency as a
 * quote prices it, and who bears it (the project's `side_commission`) deciding what is sent and
 * what is held. Withdrawals and mass payout items are priced here alike.
 */
export function priceWithdrawal(project: Project, currency: CryptoCurrency, amount: bigint, usdPerUnit: Ratio): Result<{ fee: bigint; sendAmount: bigint; holdAmount: bigint }, string> {
  const { transferFee } = quoteFees(amount, usdPerUnit, currency, { serviceFeePercent: { units: 0n, scale: 0 } });
  const split = withdrawalAmounts(amount, transferFee, project.settings.sideCommission);
  if (split === 'fee_exceeds_amount') return err(`amount must be more than the network fee of ${formatDecimal(fromUnits(transferFee, currency.decimals))} ${currency.code}`);
  return ok({ fee: transferFee, ...split });
}

/** The USD worth of base units, in cents rounded up (limits and thresholds compare against it). */
export const usdCents = (units: bigint, usdPerUnit: Ratio, currency: CryptoCurrency): bigint => ratioToScale(unitsToUsd(units, usdPerUnit, currency), 2, 'up');
export const usdText = (cents: bigint) => formatDecimal(fromUnits(cents, 2));

export async function requestWithdrawal(deps: Deps, project: Project, req: WithdrawalRequest, now: Instant): Promise<Result<Withdrawal, AppError>> {
  if (req.idempotency) {
    const again = await replayed(deps, project, req.idempotency);
    if (again) return again;
  }
  if (req.source === 'cryptocloud_api') {
    if (!project.settings.apiPayoutsEnabled) return err({ kind: 'withdrawal.api_payouts_off', shopId: project.shopId });
    // CryptoCloud asks for 12 s between payout requests; a key that leaks cannot drain faster than this.
    const window = Math.floor(now / MINUTE_MS);
    const count = await deps.rateCounters.table.hit('payout', project.shopId, window, (window + 2) * MINUTE_MS);
    if (count > API_PAYOUTS_PER_MINUTE) return err({ kind: 'withdrawal.rate_limited', retryAfterSeconds: Math.ceil(((window + 1) * MINUTE_MS - now) / 1000) });
  }
  const parsed = parseRequest(deps, req);
  if (!parsed.ok) return parsed;
  const { currency, deployment, amount } = parsed.value;
  const rate = usdRateFrom(await deps.rates.usdRates([currency.priceSymbol]), currency.priceSymbol);
  if (!rate.ok) return rate;
  const priced = priceWithdrawal(project, currency, amount, rate.value);
  if (!priced.ok) return err({ kind: 'withdrawal.invalid', field: 'uncorrected_amount', message: priced.error });
  const { fee: transferFee, ...split } = priced.value;
  // A friendly answer now; the hold in the workflow is what really guards the balance.
  const balance = await deps.ledger.balance(project.shopId, currency.code);
  if (balance.available < split.holdAmount) {
    const show = (u: bigint) => formatDecimal(fromUnits(u, currency.decimals));
    return err({ kind: 'withdrawal.insufficient_balance', code: currency.code, available: show(balance.available), needed: show(split.holdAmount) });
  }
  const withdrawal: Withdrawal = {
    id: `INV-${deps.ids.invoiceId()}`,
    shopId: project.shopId,
    code: currency.code,
    chain: deployment.chain,
    toAddress: req.toAddress.trim(),
    walletId: req.walletId,
    amount,
    fee: transferFee,
    feeSide: project.settings.sideCommission,
    ...split,
    source: req.source,
    status: 'requested',
    reason: null,
    tx: null,
    replaced: [],
    landed: null,
    batch: null,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  const limit = req.source === 'cryptocloud_api' ? dailyLimit(project, usdCents(split.holdAmount, rate.value, currency), now) : undefined;
  // Queued before the write: the sender waits for the withdrawal to exist and drops the event if it never does.
  await notifyWithdrawal(deps, null, withdrawal);
  const created = await deps.withdrawals.create(withdrawal, { idempotency: req.idempotency ?? undefined, dailyLimit: limit });
  if (created.kind === 'daily_limit' && limit) return err({ kind: 'withdrawal.daily_limit', limitUsd: formatDecimal(project.settings.apiPayoutDailyLimitUsd), usedUsd: usdText(created.usedCents), requestedUsd: usdText(limit.cents) });
  if (created.kind === 'idempotency_taken') return (await replayed(deps, project, req.idempotency as NonNullable<WithdrawalRequest['idempotency']>)) ?? err({ kind: 'withdrawal.not_found', id: created.withdrawalId });
  deps.log.info('withdrawal.requested', { shopId: project.shopId, withdrawalId: withdrawal.id, code: withdrawal.code, amount: String(amount), fee: String(transferFee), source: req.source, to: withdrawal.toAddress });
  await auditWithdrawal(deps, withdrawal, 'requested', now);
  await startWorkflow(deps, withdrawal);
  return ok(withdrawal);
}

function dailyLimit(project: Project, cents: bigint, now: Instant) {
  const limit = project.settings.apiPayoutDailyLimitUsd;
  return { day: isoTime(now).slice(0, 10), cents, limitCents: toScale(limit, 2, 'down') };
}

/** A retried request (same Idempotency-Key and body) answers the first withdrawal, and makes sure its workflow runs. */
async function replayed(deps: Deps, project: Project, claim: { keyHash: string; requestHash: string }): Promise<Result<Withdrawal, AppError> | null> {
  const found = await deps.withdrawals.findByIdempotency(project.shopId, claim.keyHash);
  if (!found) return null;
  if (found.requestHash !== claim.requestHash) return err({ kind: 'idempotency.key_reused', key: claim.keyHash.slice(0, 12) });
  const withdrawal = await deps.withdrawals.get(found.withdrawalId);
  if (!withdrawal) return err({ kind: 'withdrawal.not_found', id: found.withdrawalId });
  await startWorkflow(deps, withdrawal);
  return ok(withdrawal);
}

/** A withdrawal to a saved wallet (native API, CLI): the wallet names the currency and the address, and must be out of its cooling-off. */
export async function requestWalletWithdrawal(
  deps: Deps,
  project: Project,
  req: { walletId: string; amount: string; source: WithdrawalSource; idempotency: WithdrawalRequest['idempotency'] },
  now: Instant,
): Promise<Result<Withdrawal, AppError>> {
  if (req.idempotency) {
    const again = await replayed(deps, project, req.idempotency);
    if (again) return again;
  }
  const wallet = await usableWithdrawalWallet(deps, project.shopId, { walletId: req.walletId }, now);
  if (!wallet.ok) return err(unusableWallet(wallet.error));
  return requestWithdrawal(deps, project, { code: wallet.value.code, toAddress: wallet.value.address, walletId: wallet.value.id, amount: req.amount, source: req.source, idempotency: req.idempotency }, now);
}

/** Every money-moving step leaves an audit item (DESIGN §8). */
export async function auditWithdrawal(deps: Deps, w: Withdrawal, step: string, now: Instant): Promise<void> {
  const actor = w.source === 'cli' ? 'cli' : w.source === 'rule' ? 'system' : 'api';
  await recordAudit(deps, { shopId: w.shopId, at: now, actor: step === 'requested' || step === 'canceled' ? actor : 'system', action: `withdrawal.${step}`, subject: w.id, details: { code: w.code, amount: formatDecimal(fromUnits(w.amount, findCrypto(w.code)?.decimals ?? 0)), to: w.toAddress, status: w.status, txHash: w.tx?.hash ?? null, reason: w.reason } });
}

/** One execution per withdrawal, named by its id: starting it again is harmless. */
async function startWorkflow(deps: Deps, w: Withdrawal): Promise<void> {
  if (w.status !== 'requested') return;
  const started = await deps.workflows.start('withdrawal', w.id, { withdrawalId: w.id });
  deps.log.info('withdrawal.workflow', { withdrawalId: w.id, started });
}

export async function showWithdrawal(deps: Deps, project: Project, id: string): Promise<Result<Withdrawal, AppError>> {
  const w = await deps.withdrawals.get(id.trim().toUpperCase());
  return w && w.shopId === project.shopId ? ok(w) : err({ kind: 'withdrawal.not_found', id });
}

export async function listWithdrawals(deps: Deps, project: Project, page: { limit: number; cursor: string | null }) {
  return ok(await deps.withdrawals.listByProject(project.shopId, page));
}

/**
 * Cancels a withdrawal nothing was signed for (a mass payout's item never: see below). Its workflow sees the status at its next step and
 * releases the hold: the release step is the one place holds are returned, and the API functions
 * write no journal entry.
 */
export async function cancelWithdrawal(deps: Deps, project: Project, id: string, now: Instant): Promise<Result<Withdrawal, AppError>> {
  for (;;) {
    const found = await showWithdrawal(deps, project, id);
    if (!found.ok) return found;
    const w = found.value;
    if (w.status === 'canceled') return ok(w);
    // A batch's disperse leg signs many items in one transaction and only then moves each to
    // `signed`: an item canceled in between would be paid and released both. Never on its own.
    if (w.batch) return err({ kind: 'withdrawal.batch_item', id: w.id, batchId: w.batch.id });
    if (!isCancelable(w)) return err({ kind: 'withdrawal.not_cancelable', id: w.id, status: w.status });
    const next = moveWithdrawal(w, 'canceled', now, { reason: 'canceled by the merchant' });
    if (!next) continue;
    await notifyWithdrawal(deps, w, next);
    if (await deps.withdrawals.save(next, w.version)) {
      await auditWithdrawal(deps, next, 'canceled', now);
      deps.log.info('withdrawal.canceled', { withdrawalId: w.id, from: w.status });
      return ok(next);
    }
  }
}
