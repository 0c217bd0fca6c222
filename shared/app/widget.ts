/**
 * Invoices for the widget button on a merchant's site. The snippet is public, so anyone can call
 * this: only projects that list widget origins accept it, only from those origins (the browser's
 * `Origin` header, which a page cannot forge), and only up to a fixed value.
 */
import type { FiatCode } from '../domain/currencies';
import type { Invoice } from '../domain/invoice/invoice';
import { compareRatio, type Decimal, multiply, ratio, ratioOf } from '../domain/money';
import type { Project } from '../domain/project';
import { widgetOrderId } from '../domain/widget';
import { err, ok, type Result } from '../domain/result';
import type { Instant } from '../domain/time';
import type { Deps } from '../ports';
import { createInvoice, ownInvoiceCommand, usdRateFrom } from './create-invoice';
import type { AppError } from './errors';

/**
 * The largest widget invoice, in USD at the current rate. The amount comes from a public snippet
 * anyone can edit, so the merchant checks the paid amount against the order anyway; the cap only
 * keeps strangers from minting absurd invoices. Larger sales: an API invoice or a payment link.
 */
export const WIDGET_PRICE_USD_MAX = 10_000n;

export type WidgetInvoiceRequest = { shopId: string; origin: string | null; amount: Decimal; fiat: FiatCode; orderId: string | null; locale: string | null; now: Instant };

/** The project whose widget may create invoices from `origin`; the same refusal for unknown and widget-less shops. */
export async function widgetProject(deps: Pick<Deps, 'projects'>, shopId: string, origin: string | null): Promise<Result<Project, AppError>> {
  const project = await deps.projects.get(shopId);
  if (!project || project.settings.widgetOrigins.length === 0) return err({ kind: 'widget.off', shopId });
  if (!origin || !project.settings.widgetOrigins.includes(origin)) return err({ kind: 'widget.origin_refused', origin });
  return ok(project);
}

export async function createWidgetInvoice(deps: Deps, input: WidgetInvoiceRequest): Promise<Result<{ invoice: Invoice; project: Project; origin: string }, AppError>> {
  const project = await widgetProject(deps, input.shopId, input.origin);
  if (!project.ok) return project;
  const usdPerFiat = usdRateFrom(input.fiat === 'USD' ? new Map() : await deps.rates.usdRates([input.fiat]), input.fiat);
  if (!usdPerFiat.ok) return usdPerFiat;
  if (compareRatio(multiply(ratioOf(input.amount), usdPerFiat.value), ratio(WIDGET_PRICE_USD_MAX, 1n)) > 0) return err({ kind: 'widget.amount_over_max', maxUsd: String(WIDGET_PRICE_USD_MAX) });
  const made = await createInvoice(deps, ownInvoiceCommand({ project: project.value, amount: input.amount, fiat: input.fiat, orderId: widgetOrderId(input.orderId), locale: input.locale ?? project.value.settings.locale, now: input.now }));
  return made.ok ? ok({ invoice: made.value, project: project.value, origin: input.origin as string }) : made;
}
