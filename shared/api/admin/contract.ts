/** The native admin API behind the `tollgate` CLI: snake_case settings in, project views out. */
import * as z from 'zod';
import { formatDecimal } from '../../domain/money';
import type { Project, SettingsPatch } from '../../domain/project';
import { isoTime } from '../../domain/time';

const nullableText = z.union([z.string().max(4096), z.null()]).optional();

export const SettingsPatchRequest = z
  .object({
    name: z.string().max(200).optional(),
    notification_url: nullableText,
    postback_format: z.string().max(10).optional(),
    success_url: nullableText,
    fail_url: nullableText,
    side_commission: z.string().max(10).optional(),
    side_commission_cc: z.string().max(10).optional(),
    service_fee_percent: z.union([z.string().max(20), z.number()]).optional(),
    invoice_lifetime_minutes: z.coerce.number().optional(),
    enabled_currencies: z.union([z.array(z.string().max(20)).max(100), z.string().max(2000)]).optional(),
    partial_tolerance: z.string().max(30).optional(),
    test_mode: z.union([z.boolean(), z.enum(['true', 'false'])]).optional(),
    locale: z.string().max(10).optional(),
    logo_url: nullableText,
    support_contact: nullableText,
    widget_origins: z.union([z.array(z.string().max(300)).max(50), z.string().max(4000)]).optional(),
    email_required: z.union([z.boolean(), z.enum(['true', 'false'])]).optional(),
    api_payouts_enabled: z.union([z.boolean(), z.enum(['true', 'false'])]).optional(),
    api_payout_daily_limit_usd: z.union([z.string().max(20), z.number()]).optional(),
    payout_approval_above_usd: z.union([z.string().max(20), z.number()]).optional(),
    time_zone: z.string().max(64).optional(),
  })
  .transform(
    (b): SettingsPatch => ({
      name: b.name,
      notificationUrl: b.notification_url,
      postbackFormat: b.postback_format,
      successUrl: b.success_url,
      failUrl: b.fail_url,
      sideCommission: b.side_commission,
      sideCommissionCc: b.side_commission_cc,
      serviceFeePercent: b.service_fee_percent === undefined ? undefined : String(b.service_fee_percent),
      invoiceLifetimeMinutes: b.invoice_lifetime_minutes,
      enabledCurrencies: typeof b.enabled_currencies === 'string' ? b.enabled_currencies.split(',') : b.enabled_currencies,
      partialTolerance: b.partial_tolerance,
      testMode: b.test_mode === undefined ? undefined : b.test_mode === true || b.test_mode === 'true',
      locale: b.locale,
      logoUrl: b.logo_url,
      supportContact: b.support_contact,
      widgetOrigins: typeof b.widget_origins === 'string' ? b.widget_origins.split(',') : b.widget_origins,
      emailRequired: b.email_required === undefined ? undefined : b.email_required === true || b.email_required === 'true',
      apiPayoutsEnabled: b.api_payouts_enabled === undefined ? undefined : b.api_payouts_enabled === true || b.api_payouts_enabled === 'true',
      apiPayoutDailyLimitUsd: b.api_payout_daily_limit_usd === undefined ? undefined : String(b.api_payout_daily_limit_usd),
      payoutApprovalAboveUsd: b.payout_approval_above_usd === undefined ? undefined : String(b.payout_approval_above_usd),
      timeZone: b.time_zone === undefined ? undefined : String(b.time_zone),
    }),
  );

export const CreateProjectRequest = z
  .object({ name: z.string({ error: 'name is required' }).trim().min(1, 'name is required').max(100) })
  .and(SettingsPatchRequest);

export const RotateKeysRequest = z.object({ api: z.boolean().optional(), secret: z.boolean().optional(), withdrawal: z.boolean().optional() }).transform((b) => {
  // No flag means the API key: the common case after a leak.
  const any = b.api !== undefined || b.secret !== undefined || b.withdrawal !== undefined;
  return { api: any ? b.api === true : true, secret: b.secret === true, withdrawal: b.withdrawal === true };
});

export function presentProject(project: Project) {
  const s = project.settings;
  const tolerance = s.partialTolerance.kind === 'none' ? 'none' : s.partialTolerance.kind === 'percent' ? `${formatDecimal(s.partialTolerance.value)}%` : `${formatDecimal(s.partialTolerance.value)}usd`;
  return {
    shop_id: project.shopId,
    project_id: project.number,
    name: s.name,
    created: isoTime(project.createdAt),
    test_mode: s.testMode,
    settings: {
      notification_url: s.notificationUrl,
      postback_format: s.postbackFormat,
      success_url: s.successUrl,
      fail_url: s.failUrl,
      side_commission: s.sideCommission,
      side_commission_cc: s.sideCommissionCc,
      service_fee_percent: formatDecimal(s.serviceFeePercent),
      invoice_lifetime_minutes: s.invoiceLifetimeMinutes,
      enabled_currencies: s.enabledCurrencies,
      partial_tolerance: tolerance,
      test_mode: s.testMode,
      locale: s.locale,
      logo_url: s.logoUrl,
      support_contact: s.supportContact,
      widget_origins: s.widgetOrigins,
      email_required: s.emailRequired,
      api_payouts_enabled: s.apiPayoutsEnabled,
      api_payout_daily_limit_usd: formatDecimal(s.apiPayoutDailyLimitUsd),
      payout_approval_above_usd: formatDecimal(s.payoutApprovalAboveUsd),
      time_zone: s.timeZone,
    },
    api_key_sha256_prefix: project.apiKeyHash.slice(0, 12),
    withdrawal_key_issued: project.withdrawalKeyHash !== null,
    secret_key_rotated_at: isoTime(project.secretKeyRotatedAt),
  };
}
