/**
 * Automatic withdrawal rules (issue 14 §2): the merchant's changes, each spending a fresh
 * second-factor code and written in one transaction with its audit event, and the evaluator the
 * `withdrawal-rules` schedule runs every minute. What is due is the domain's
 * (shared/domain/withdrawal-rule.ts); here a due firing is claimed (a conditional write: two
 * evaluators, one claim) and then requested as an ordinary withdrawal to the rule's saved wallet
 * (source 'rule'), under an idempotency claim made of the rule id and the firing key, so a
 * retried or twin evaluation finds the first withdrawal instead of making another.
 */
import type { AuditActor } from '../domain/audit';
import { servedCurrency } from '../domain/chains';
import type { CryptoCurrency } from '../domain/currencies';
import { type Decimal, formatDecimal, fromUnits, parseDecimal, type Ratio } from '../domain/money';
import { quoteFees, unitsToUsd } from '../domain/pricing';
import type { Project } from '../domain/project';
import { err, ok, type Result } from '../domain/result';
import { type Instant, isoTime, MINUTE_MS } from '../domain/time';
import { withdrawalAmounts } from '../domain/withdrawal';
import {
  changedWithdrawalRule,
  claimedRule,
  describeTrigger,
  type FiringOutcome,
  finishedRule,
  firingClaim,
  firingDue,
  formatLocalTime,
  missedFiring,
  newWithdrawalRule,
  nextRunAt,
  PENDING_FIRING_MAX_MS,
  parseTrigger,
  rearmedRule,
  type RuleTrigger,
  SCHEDULE_GRACE_MS,
  shouldRearm,
  type TriggerInput,
  type WithdrawalRule,
} from '../domain/withdrawal-rule';
import type { WithdrawalWallet } from '../domain/withdrawal-wallet';
import type { Deps } from '../ports';
import { auditEvent, recordAudit } from './audit';
import { usdRateFrom } from './create-invoice';
import type { AppError } from './errors';
import { withFreshCode } from './second-factor';
import { requestWalletWithdrawal } from './withdrawals';

type Who = { now: Instant; actor: AuditActor; code: string };

/** A rule as the API shows it: with the zone it runs in and, for a schedule, its next run. */
export type RuleView = { rule: WithdrawalRule; timeZone: string; nextRunAt: Instant | null };

/** Enabled rules read per page, and at most per run (a deployment with more is warned about: the rest wait for the next run). */
export const RULES_PER_PAGE = 100;
export const RULES_PER_RUN_MAX = 2_000;
/** A pending firing younger than this belongs to the evaluator that claimed it (it is still requesting); older, the next run finishes it. */
export const PENDING_RESUME_AFTER_MS = 2 * MINUTE_MS;
/** Rereads of a rule whose finishing write lost to a concurrent change. */
const FINISH_RETRIES_MAX = 5;

const invalid = (field: string, message: string): Result<never, AppError> => err({ kind: 'withdrawal_rule.invalid', field, message });

const view = (rule: WithdrawalRule, project: Project, now: Instant): RuleView => ({ rule, timeZone: project.settings.timeZone, nextRunAt: nextRunAt(rule, project.settings.timeZone, now) });

/** The project's rules, by currency. */
export async function listWithdrawalRules(deps: Deps, project: Project, now: Instant): Promise<Result<RuleView[], AppError>> {
  const rules = await deps.withdrawalRules.list(project.shopId);
  return ok(rules.sort((a, b) => a.code.localeCompare(b.code)).map((r) => view(r, project, now)));
}

async function findRule(deps: Deps, shopId: string, ruleId: string): Promise<Result<WithdrawalRule, AppError>> {
  const id = ruleId.trim();
  const rule = (await deps.withdrawalRules.list(shopId)).find((r) => r.id === id);
  return rule ? ok(rule) : err({ kind: 'withdrawal_rule.not_found', id: id.slice(0, 40) });
}

/** The saved wallet a rule pays: of the project, not removed, of the rule's currency, out of its cooling-off, its currency served. */
async function ruleWallet(deps: Deps, shopId: string, walletId: string, code: string | null, now: Instant): Promise<Result<{ wallet: WithdrawalWallet; currency: CryptoCurrency }, AppError>> {
  const id = walletId.trim();
  const wallet = /^ww_[A-Z0-9]{24}$/.test(id) ? await deps.withdrawalWallets.get(shopId, id) : null;
  if (!wallet || wallet.removedAt !== null) {
    return invalid('wallet_id', `${id.slice(0, 40) || 'wallet_id'} is not a saved withdrawal wallet of this project: a rule pays only a saved wallet (tollgate withdrawal-wallet add, then wait out its cooling-off)`);
  }
  if (code !== null && wallet.code !== code) return invalid('wallet_id', `Withdrawal wallet ${wallet.id} receives ${wallet.code}; this rule withdraws ${code}`);
  if (now < wallet.usableFrom) return invalid('wallet_id', `Withdrawal wallet ${wallet.id} is cooling off until ${isoTime(wallet.usableFrom)}; a rule may pay it from then`);
  const currency = servedCurrency(deps.chains, wallet.code);
  if (!currency) return invalid('currency', `${wallet.code} is not served by this gateway: its chain is not configured (CHAINS_JSON), so nothing could be withdrawn in it`);
  return ok({ wallet, currency });
}

const feeUsd = (currency: CryptoCurrency): Decimal => {
  const parsed = parseDecimal(currency.transferFeeUsd);
  return parsed.ok ? parsed.value : { units: 0n, scale: 0 };
};

const auditDetails = (rule: WithdrawalRule, zone: string) => ({ currency: rule.code, wallet_id: rule.walletId, trigger: describeTrigger(rule.trigger, zone), enabled: rule.enabled });

/** Creates the currency's rule (the wallet names the currency). Validated first: a bad request spends no code. */
export async function createWithdrawalRule(
  deps: Deps,
  project: Project,
  who: Who,
  input: { walletId: string; currency: string | null; trigger: TriggerInput; enabled: boolean },
): Promise<Result<RuleView, AppError>> {
  const wanted = input.currency === null ? null : input.currency.trim().toUpperCase();
  const target = await ruleWallet(deps, project.shopId, input.walletId, null, who.now);
  if (!target.ok) return target;
  const { wallet, currency } = target.value;
  if (wanted !== null && wanted !== wallet.code) return invalid('currency', `Withdrawal wallet ${wallet.id} receives ${wallet.code}, not ${wanted.slice(0, 40)}`);
  const trigger = parseTrigger(input.trigger, feeUsd(currency));
  if (!trigger.ok) return invalid(trigger.error.field === 'thresholdUsd' ? 'threshold_usd' : trigger.error.field, trigger.error.message);
  const existing = await deps.withdrawalRules.get(project.shopId, wallet.code);
  if (existing) return err({ kind: 'withdrawal_rule.exists', code: wallet.code, id: existing.id });
  const rule = newWithdrawalRule({ id: deps.ids.withdrawalRuleId(), shopId: project.shopId, code: wallet.code, walletId: wallet.id, trigger: trigger.value, enabled: input.enabled, now: who.now });
  const created = auditEvent(deps, { shopId: project.shopId, at: who.now, actor: who.actor, action: 'withdrawal_rule.created', subject: rule.id, details: auditDetails(rule, project.settings.timeZone) });
  const out = await withFreshCode(deps, { shopId: project.shopId, code: who.code, now: who.now, actor: who.actor }, async (spent) => {
    const again = await deps.withdrawalRules.get(project.shopId, wallet.code);
    if (again) return err({ kind: 'withdrawal_rule.exists', code: wallet.code, id: again.id });
    return (await deps.withdrawalRules.write(rule, null, spent.write, [...spent.events, created])) ? ok(rule) : 'conflict';
  });
  if (out.ok) deps.log.info('withdrawal_rule.created', { shopId: project.shopId, ruleId: rule.id, code: rule.code, walletId: rule.walletId, trigger: rule.trigger.kind });
  return out.ok ? ok(view(out.value, project, who.now)) : out;
}

/** The trigger a change asks for: the fields sent, completed from the current schedule where they are left out. */
function changedTrigger(current: RuleTrigger, input: TriggerInput): TriggerInput {
  const kind = input.trigger ?? current.kind;
  if (kind !== 'schedule' || current.kind !== 'schedule') return { ...input, trigger: kind };
  const s = current.schedule;
  const every = input.every ?? s.every;
  return {
    ...input,
    trigger: kind,
    every,
    time: input.time ?? formatLocalTime(s.at),
    weekday: input.weekday ?? (every === 'weekly' && s.every === 'weekly' ? s.weekday : undefined),
    day: input.day ?? (every === 'monthly' && s.every === 'monthly' ? s.day : undefined),
  };
}

const TRIGGER_FIELDS = ['trigger', 'thresholdUsd', 'every', 'weekday', 'day', 'time'] as const;

/** Switches a rule on or off, moves it to another wallet of its currency, or gives it a new trigger. */
export async function updateWithdrawalRule(
  deps: Deps,
  project: Project,
  who: Who,
  input: { ruleId: string; walletId: string | null; enabled: boolean | null; trigger: TriggerInput },
): Promise<Result<RuleView, AppError>> {
  const found = await findRule(deps, project.shopId, input.ruleId);
  if (!found.ok) return found;
  const rule = found.value;
  const triggerSent = TRIGGER_FIELDS.some((f) => input.trigger[f] !== undefined);
  if (!triggerSent && input.walletId === null && input.enabled === null) return invalid('rule', 'Nothing to change: send enabled, wallet_id, or the trigger (trigger, threshold_usd, every, weekday, day, time)');
  let walletId: string | undefined;
  if (input.walletId !== null) {
    const target = await ruleWallet(deps, project.shopId, input.walletId, rule.code, who.now);
    if (!target.ok) return target;
    walletId = target.value.wallet.id;
  }
  let trigger: RuleTrigger | undefined;
  if (triggerSent) {
    const currency = servedCurrency(deps.chains, rule.code);
    if (!currency) return invalid('currency', `${rule.code} is not served by this gateway: its chain is not configured (CHAINS_JSON)`);
    const parsed = parseTrigger(changedTrigger(rule.trigger, input.trigger), feeUsd(currency));
    if (!parsed.ok) return invalid(parsed.error.field, parsed.error.message);
    trigger = parsed.value;
  }
  const change = { ...(walletId === undefined ? {} : { walletId }), ...(trigger === undefined ? {} : { trigger }), ...(input.enabled === null ? {} : { enabled: input.enabled }) };
  const out = await withFreshCode(deps, { shopId: project.shopId, code: who.code, now: who.now, actor: who.actor }, async (spent) => {
    // Read again inside the attempt: the change applies to the rule as it is now (an evaluator may have fired it).
    const current = await findRule(deps, project.shopId, input.ruleId);
    if (!current.ok) return current;
    const before = current.value;
    const next = changedWithdrawalRule(before, change, who.now);
    const zone = project.settings.timeZone;
    const changed = auditEvent(deps, {
      shopId: project.shopId,
      at: who.now,
      actor: who.actor,
      action: 'withdrawal_rule.changed',
      subject: before.id,
      details: {
        ...auditDetails(next, zone),
        previous_wallet_id: before.walletId,
        previous_trigger: describeTrigger(before.trigger, zone),
        previous_enabled: before.enabled,
      },
    });
    return (await deps.withdrawalRules.write(next, before.version, spent.write, [...spent.events, changed])) ? ok(next) : 'conflict';
  });
  if (out.ok) deps.log.info('withdrawal_rule.changed', { shopId: project.shopId, ruleId: rule.id, code: rule.code, enabled: out.value.enabled, walletId: out.value.walletId, trigger: out.value.trigger.kind });
  return out.ok ? ok(view(out.value, project, who.now)) : out;
}

/** Deletes a rule: it never fires again (a firing already requested goes on as any withdrawal). */
export async function deleteWithdrawalRule(deps: Deps, project: Project, who: Who, input: { ruleId: string }): Promise<Result<RuleView, AppError>> {
  const found = await findRule(deps, project.shopId, input.ruleId);
  if (!found.ok) return found;
  const out = await withFreshCode(deps, { shopId: project.shopId, code: who.code, now: who.now, actor: who.actor }, async (spent) => {
    const current = await findRule(deps, project.shopId, input.ruleId);
    if (!current.ok) return current;
    const deleted = auditEvent(deps, { shopId: project.shopId, at: who.now, actor: who.actor, action: 'withdrawal_rule.deleted', subject: current.value.id, details: auditDetails(current.value, project.settings.timeZone) });
    return (await deps.withdrawalRules.remove(current.value, spent.write, [...spent.events, deleted])) ? ok({ ...current.value, enabled: false }) : 'conflict';
  });
  if (out.ok) deps.log.info('withdrawal_rule.deleted', { shopId: project.shopId, ruleId: out.value.id, code: out.value.code });
  return out.ok ? ok({ rule: out.value, timeZone: project.settings.timeZone, nextRunAt: null }) : out;
}

// ---------------------------------------------------------------- the evaluator

export type EvaluationSummary = { rules: number; due: number; fired: number; skipped: number; rearmed: number; conflicts: number; failed: number; truncated: boolean };

type RuleOutcome = 'idle' | 'rearmed' | 'conflict' | 'fired' | 'skipped' | 'busy';

/** What one run reads once: projects and USD rates. */
class RunCache {
  private readonly projects = new Map<string, Promise<Project | null>>();
  private readonly rates = new Map<string, Promise<Result<Ratio, AppError>>>();
  constructor(private readonly deps: Deps) {}
  project(shopId: string): Promise<Project | null> {
    const known = this.projects.get(shopId);
    if (known) return known;
    const read = this.deps.projects.get(shopId);
    this.projects.set(shopId, read);
    return read;
  }
  rate(symbol: string): Promise<Result<Ratio, AppError>> {
    const known = this.rates.get(symbol);
    if (known) return known;
    const read = this.deps.rates.usdRates([symbol]).then((m) => usdRateFrom(m, symbol));
    this.rates.set(symbol, read);
    return read;
  }
}

/**
 * Evaluates every enabled rule once (the `withdrawal-rules` schedule, every minute): re-arms
 * amount rules seen below their threshold, claims each firing due and requests its withdrawal.
 * One rule's fault is logged and counted, and never stops the others.
 */
export async function evaluateRules(deps: Deps, now: Instant): Promise<EvaluationSummary> {
  const summary: EvaluationSummary = { rules: 0, due: 0, fired: 0, skipped: 0, rearmed: 0, conflicts: 0, failed: 0, truncated: false };
  const cache = new RunCache(deps);
  let after: string | null = null;
  do {
    const page: { rules: WithdrawalRule[]; next: string | null } = await deps.withdrawalRules.enabled(RULES_PER_PAGE, after);
    for (const rule of page.rules) {
      summary.rules += 1;
      try {
        const outcome = await evaluateRule(deps, cache, rule, now);
        if (outcome === 'fired' || outcome === 'skipped') summary.due += 1;
        if (outcome === 'fired') summary.fired += 1;
        if (outcome === 'skipped') summary.skipped += 1;
        if (outcome === 'rearmed') summary.rearmed += 1;
        if (outcome === 'conflict') summary.conflicts += 1;
      } catch (e) {
        summary.failed += 1;
        deps.log.error('withdrawal_rule.fault', { ruleId: rule.id, shopId: rule.shopId, code: rule.code, pendingKey: rule.pending?.key ?? null, error: e instanceof Error ? e.message : String(e) });
      }
    }
    after = page.next;
    if (after && summary.rules >= RULES_PER_RUN_MAX) {
      summary.truncated = true;
      deps.log.warn('withdrawal_rule.too_many', { evaluated: summary.rules, max: RULES_PER_RUN_MAX });
      break;
    }
  } while (after);
  return summary;
}

async function evaluateRule(deps: Deps, cache: RunCache, listed: WithdrawalRule, now: Instant): Promise<RuleOutcome> {
  const project = await cache.project(listed.shopId);
  if (!project) return 'idle';
  const zone = project.settings.timeZone;
  if (listed.pending) {
    // Claimed by a run that may still be requesting it: leave it that run's for a while.
    if (now - listed.pending.claimedAt < PENDING_RESUME_AFTER_MS) return 'busy';
    const rule = await deps.withdrawalRules.get(listed.shopId, listed.code);
    if (!rule?.pending || rule.id !== listed.id) return 'conflict';
    deps.log.warn('withdrawal_rule.resumed', { ruleId: rule.id, shopId: rule.shopId, firingKey: rule.pending.key, claimedAt: isoTime(rule.pending.claimedAt) });
    return fire(deps, cache, project, rule, rule.pending.key, now);
  }
  const currency = servedCurrency(deps.chains, listed.code);
  if (!currency) return 'idle';
  let availableUsd: Ratio | null = null;
  if (listed.trigger.kind === 'amount') {
    const rate = await cache.rate(currency.priceSymbol);
    if (!rate.ok) {
      deps.log.warn('withdrawal_rule.no_rate', { ruleId: listed.id, shopId: listed.shopId, code: listed.code, symbol: currency.priceSymbol });
      return 'idle';
    }
    const balance = await deps.ledger.balance(listed.shopId, listed.code);
    availableUsd = unitsToUsd(balance.available, rate.value, currency);
  }
  const ctx = { now, zone, availableUsd };
  if (shouldRearm(listed, availableUsd)) {
    if (!(await deps.withdrawalRules.save(rearmedRule(listed, now), listed.version))) return 'conflict';
    deps.log.info('withdrawal_rule.rearmed', { ruleId: listed.id, shopId: listed.shopId, code: listed.code });
    return 'rearmed';
  }
  const missed = missedFiring(listed, ctx);
  if (missed) {
    const claimed = claimedRule(listed, missed, now);
    if (!(await deps.withdrawalRules.save(claimed, listed.version))) return 'conflict';
    deps.log.warn('withdrawal_rule.missed', { ruleId: listed.id, shopId: listed.shopId, firingKey: missed, graceMs: SCHEDULE_GRACE_MS });
    return finish(deps, project, claimed, { key: missed, at: now, withdrawalId: null, skipped: `missed: the evaluator did not run within ${SCHEDULE_GRACE_MS / 3_600_000} h of the scheduled time` });
  }
  const key = firingDue(listed, ctx);
  if (!key) return 'idle';
  const claimed = claimedRule(listed, key, now);
  if (!(await deps.withdrawalRules.save(claimed, listed.version))) {
    deps.log.info('withdrawal_rule.claim_lost', { ruleId: listed.id, shopId: listed.shopId, firingKey: key });
    return 'conflict';
  }
  deps.log.info('withdrawal_rule.claimed', { ruleId: claimed.id, shopId: claimed.shopId, code: claimed.code, firingKey: key, trigger: claimed.trigger.kind });
  return fire(deps, cache, project, claimed, key, now);
}

/** Requests the claimed firing's withdrawal: all of the available balance (less the fee when the merchant bears it). */
async function fire(deps: Deps, cache: RunCache, project: Project, rule: WithdrawalRule, key: string, now: Instant): Promise<RuleOutcome> {
  const log = { ruleId: rule.id, shopId: rule.shopId, code: rule.code, firingKey: key };
  if (rule.pending && now - rule.pending.claimedAt > PENDING_FIRING_MAX_MS) {
    deps.log.error('withdrawal_rule.gave_up', { ...log, claimedAt: isoTime(rule.pending.claimedAt) });
    return finish(deps, project, rule, { key, at: now, withdrawalId: null, skipped: 'gave up: the firing could not be requested in time (see the evaluator logs)' });
  }
  const skip = (reason: string, level: 'info' | 'warn' = 'warn') => {
    deps.log[level]('withdrawal_rule.skipped', { ...log, reason });
    return finish(deps, project, rule, { key, at: now, withdrawalId: null, skipped: reason });
  };
  const currency = servedCurrency(deps.chains, rule.code);
  if (!currency) return skip(`${rule.code} is not served by this gateway any more`);
  const rate = await cache.rate(currency.priceSymbol);
  if (!rate.ok) throw new Error(`no USD rate for ${currency.priceSymbol}: the firing stays pending and is retried`);
  const available = (await deps.ledger.balance(rule.shopId, rule.code)).available;
  const { transferFee } = quoteFees(available, rate.value, currency, { serviceFeePercent: { units: 0n, scale: 0 } });
  const side = project.settings.sideCommission;
  // The hold is the amount plus the fee when the merchant bears it: "all of it" is what fits.
  const amount = side === 'merchant' ? available - transferFee : available;
  const show = (u: bigint) => formatDecimal(fromUnits(u, currency.decimals));
  if (amount <= 0n || withdrawalAmounts(amount, transferFee, side) === 'fee_exceeds_amount') {
    return skip(`nothing to withdraw above the network fee: ${show(available)} ${rule.code} available, fee ${show(transferFee)}`, available === 0n ? 'info' : 'warn');
  }
  const made = await requestWalletWithdrawal(deps, project, { walletId: rule.walletId, amount: show(amount), source: 'rule', idempotency: firingClaim(rule, key) }, now);
  if (!made.ok) {
    if (made.error.kind === 'rate.unavailable') throw new Error(`no USD rate for ${made.error.symbol}: the firing stays pending and is retried`);
    return skip(`withdrawal refused: ${describeRefusal(made.error)}`);
  }
  deps.log.info('withdrawal_rule.fired', { ...log, withdrawalId: made.value.id, amount: show(made.value.amount), walletId: rule.walletId, status: made.value.status });
  return finish(deps, project, rule, { key, at: now, withdrawalId: made.value.id, skipped: null });
}

function describeRefusal(e: AppError): string {
  switch (e.kind) {
    case 'withdrawal_wallet.unusable':
      return e.refusal.kind === 'cooling_off' ? `the wallet is cooling off until ${isoTime(e.refusal.usableFrom)}` : e.refusal.kind === 'unknown_wallet' ? 'the wallet was removed' : 'the wallet receives another currency';
    case 'withdrawal.insufficient_balance':
      return `insufficient balance (${e.available} ${e.code} available, ${e.needed} needed)`;
    case 'withdrawal.invalid':
      return e.message;
    default:
      return e.kind;
  }
}

/** Clears the pending firing with its outcome (and audits it); a lost write is read again while the firing is still this one. */
async function finish(deps: Deps, project: Project, claimed: WithdrawalRule, outcome: FiringOutcome): Promise<RuleOutcome> {
  let current: WithdrawalRule | null = claimed;
  for (let attempt = 0; attempt < FINISH_RETRIES_MAX && current; attempt += 1) {
    if (current.id !== claimed.id || current.pending?.key !== outcome.key) return 'conflict';
    if (await deps.withdrawalRules.save(finishedRule(current, outcome), current.version)) {
      await recordAudit(deps, {
        shopId: claimed.shopId,
        at: outcome.at,
        actor: 'system',
        action: outcome.withdrawalId ? 'withdrawal_rule.fired' : 'withdrawal_rule.skipped',
        subject: claimed.id,
        details: { currency: claimed.code, firing: outcome.key, withdrawal_id: outcome.withdrawalId, reason: outcome.skipped, trigger: describeTrigger(claimed.trigger, project.settings.timeZone) },
      });
      return outcome.withdrawalId ? 'fired' : 'skipped';
    }
    current = await deps.withdrawalRules.get(claimed.shopId, claimed.code);
  }
  return 'conflict';
}
