/**
 * Automatic withdrawal rules on the native wire (`/api/withdrawal-rules`,
 * `/admin/projects/{shopId}/withdrawal-rules`): snake_case, times in ISO 8601. Every change
 * carries `totp_code`, as withdrawal wallet changes do. The trigger is flat:
 *   {"trigger": "amount", "threshold_usd": "500"}
 *   {"trigger": "schedule", "every": "daily" | "weekly" | "monthly", "weekday": "monday", "day": 1..28, "time": "09:30"}
 * The schedule runs in the project's time zone (`tollgate project update --time-zone`).
 */
import * as z from 'zod';
import { CHAINS, findCrypto } from '../../domain/currencies';
import { formatDecimal } from '../../domain/money';
import { isoTime, type Instant } from '../../domain/time';
import { describeTrigger, formatLocalTime, type TriggerInput, type WithdrawalRule } from '../../domain/withdrawal-rule';

/** Longer than any code or recovery code; anything longer is not one. */
const CODE_LENGTH_MAX = 32;
/** Every trigger field is short; the use case checks the values (shared/domain/withdrawal-rule.ts). */
const FIELD_LENGTH_MAX = 40;

const totpCode = z
  .string({ error: "totp_code is required: a fresh code of the project's authenticator app (or a recovery code)." })
  .trim()
  .min(1, "totp_code is required: a fresh code of the project's authenticator app (or a recovery code).")
  .max(CODE_LENGTH_MAX, 'totp_code is not a code: send the 6 digits of the authenticator app, or a recovery code.');

const field = (name: string) => z.string({ error: `${name} must be text.` }).trim().max(FIELD_LENGTH_MAX, `${name} is longer than ${FIELD_LENGTH_MAX} characters.`);
/** Numbers are accepted as JSON numbers or text (threshold_usd: 500 or "500"). */
const numberOrText = (name: string) =>
  z.union([z.number().finite(), field(name)], { error: `${name} must be a number or text.` }).transform((v) => (typeof v === 'number' ? String(v) : v));

const triggerFields = {
  trigger: field('trigger').optional(),
  threshold_usd: numberOrText('threshold_usd').optional(),
  every: field('every').optional(),
  weekday: field('weekday').optional(),
  day: numberOrText('day').optional(),
  time: field('time').optional(),
};

type TriggerWire = { trigger?: string; threshold_usd?: string; every?: string; weekday?: string; day?: string; time?: string };
export const triggerInputOf = (b: TriggerWire): TriggerInput => ({ trigger: b.trigger, thresholdUsd: b.threshold_usd, every: b.every, weekday: b.weekday, day: b.day, time: b.time });

export const CreateWithdrawalRuleRequest = z.object({
  wallet_id: z.string({ error: 'wallet_id is required: the saved withdrawal wallet the rule pays (tollgate withdrawal-wallet list).' }).trim().min(1, 'wallet_id is required.').max(FIELD_LENGTH_MAX, 'wallet_id is not a wallet id.'),
  /** Optional: the wallet names the currency; when sent, it must be the wallet's. */
  currency: field('currency').optional().transform((v) => v ?? null),
  enabled: z.boolean({ error: 'enabled must be true or false.' }).optional().default(true),
  ...triggerFields,
  totp_code: totpCode,
});

export const UpdateWithdrawalRuleRequest = z.object({
  wallet_id: z.string({ error: 'wallet_id must be text.' }).trim().min(1, 'wallet_id is empty.').max(FIELD_LENGTH_MAX, 'wallet_id is not a wallet id.').optional().transform((v) => v ?? null),
  enabled: z.boolean({ error: 'enabled must be true or false.' }).optional().transform((v) => v ?? null),
  ...triggerFields,
  totp_code: totpCode,
});

export const DeleteWithdrawalRuleRequest = z.object({ totp_code: totpCode });

export type RuleViewWire = { rule: WithdrawalRule; timeZone: string; nextRunAt: Instant | null };

export const presentWithdrawalRule = ({ rule, timeZone, nextRunAt }: RuleViewWire) => {
  const t = rule.trigger;
  const s = t.kind === 'schedule' ? t.schedule : null;
  const chain = findCrypto(rule.code)?.chain;
  return {
    id: rule.id,
    shop_id: rule.shopId,
    currency: rule.code,
    network: chain ? CHAINS[chain].network.code : null,
    wallet_id: rule.walletId,
    enabled: rule.enabled,
    trigger: t.kind,
    threshold_usd: t.kind === 'amount' ? formatDecimal(t.thresholdUsd) : null,
    every: s?.every ?? null,
    weekday: s?.every === 'weekly' ? s.weekday : null,
    day: s?.every === 'monthly' ? s.day : null,
    time: s ? formatLocalTime(s.at) : null,
    time_zone: timeZone,
    description: describeTrigger(t, timeZone),
    /** Amount rules: whether the next crossing may fire (false from a firing until the balance is seen below the threshold). */
    armed: t.kind === 'amount' ? rule.armed : null,
    next_run: nextRunAt === null ? null : isoTime(nextRunAt),
    last_firing: rule.lastOutcome
      ? { key: rule.lastOutcome.key, at: isoTime(rule.lastOutcome.at), withdrawal_id: rule.lastOutcome.withdrawalId, skipped: rule.lastOutcome.skipped }
      : null,
    pending_firing: rule.pending ? { key: rule.pending.key, claimed_at: isoTime(rule.pending.claimedAt) } : null,
    created: isoTime(rule.createdAt),
    updated: isoTime(rule.updatedAt),
  };
};

export const presentWithdrawalRules = (rules: RuleViewWire[]) => ({ withdrawal_rules: rules.map(presentWithdrawalRule) });
