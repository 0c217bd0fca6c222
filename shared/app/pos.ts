/**
 * POS links (`tollgate pos`) and their sales. A sale goes through the normal create path with the
 * link's currency preset, so the deposit address and the crypto amount exist when the QR shows.
 */
import { servedCodes } from '../domain/chains';
import { FIAT_MINOR_UNITS, type FiatCode, findCrypto } from '../domain/currencies';
import type { Invoice } from '../domain/invoice/invoice';
import { type Decimal, toScale } from '../domain/money';
import { checkPosAmount, POS_LINKS_PER_PROJECT_MAX, type PosLink, posIdOf, posOrderId } from '../domain/pos';
import type { Project } from '../domain/project';
import { err, ok, type Result } from '../domain/result';
import { type Instant, MINUTE_MS } from '../domain/time';
import type { Deps } from '../ports';
import { createInvoice, ownInvoiceCommand } from './create-invoice';
import type { AppError } from './errors';
import { type KeyHasher, showProject } from './projects';

/** A counter sale is paid while the customer stands there; an abandoned one should not wait a day. */
export const POS_SALE_LIFETIME_MS = 30 * MINUTE_MS;

export type NewPosLink = { shopId: string; currency: string; fiat: FiatCode; max: Decimal; label: string | null; now: Instant };

/** A new link; the token is returned once and only its hash is stored. */
export async function createPosLink(deps: Deps, hash: KeyHasher, input: NewPosLink): Promise<Result<{ link: PosLink; token: string }, AppError>> {
  const project = await showProject(deps, input.shopId);
  if (!project.ok) return project;
  const currency = findCrypto(input.currency);
  if (!currency) return err({ kind: 'invoice.currency_unknown', code: input.currency });
  const enabled = project.value.settings.enabledCurrencies.filter((c) => servedCodes(deps.chains).includes(c));
  if (!enabled.includes(currency.code)) return err({ kind: 'invoice.currency_not_enabled', code: currency.code, enabled });
  const scale = FIAT_MINOR_UNITS[input.fiat];
  const maxMinor = toScale(input.max, scale, 'down');
  if (maxMinor <= 0n || maxMinor !== toScale(input.max, scale, 'up')) return err({ kind: 'pos.invalid_link', field: 'max', message: `max must be a positive amount in ${input.fiat} with at most ${scale} decimals` });
  const existing = await deps.posLinks.listByProject(input.shopId, POS_LINKS_PER_PROJECT_MAX);
  if (existing.length >= POS_LINKS_PER_PROJECT_MAX) return err({ kind: 'pos.too_many_links', max: POS_LINKS_PER_PROJECT_MAX });
  const token = deps.ids.posToken();
  const tokenHash = hash(token);
  const link: PosLink = { id: posIdOf(tokenHash), shopId: input.shopId, tokenHash, label: input.label, currency: currency.code, fiat: input.fiat, maxMinor, createdAt: input.now, revokedAt: null };
  await deps.posLinks.create(link);
  deps.log.info('pos.created', { shopId: link.shopId, posId: link.id, currency: link.currency });
  return ok({ link, token });
}

export async function listPosLinks(deps: Deps, shopId: string): Promise<Result<PosLink[], AppError>> {
  const project = await showProject(deps, shopId);
  if (!project.ok) return project;
  return ok(await deps.posLinks.listByProject(shopId, POS_LINKS_PER_PROJECT_MAX));
}

/** Revoking twice is fine: the link stays revoked at its first revocation. */
export async function revokePosLink(deps: Deps, shopId: string, posId: string, now: Instant): Promise<Result<PosLink, AppError>> {
  const links = await listPosLinks(deps, shopId);
  if (!links.ok) return links;
  const link = links.value.find((l) => l.id === posId);
  if (!link) return err({ kind: 'pos.not_found' });
  if (link.revokedAt !== null) return ok(link);
  await deps.posLinks.revoke(link, now);
  deps.log.info('pos.revoked', { shopId, posId });
  return ok({ ...link, revokedAt: now });
}

/** The terminal behind a token: unknown and revoked tokens are the same "not found". */
export async function openPosTerminal(deps: Deps, hash: KeyHasher, token: string): Promise<Result<{ link: PosLink; project: Project }, AppError>> {
  const link = await deps.posLinks.findByTokenHash(hash(token));
  if (!link || link.revokedAt !== null) return err({ kind: 'pos.not_found' });
  const project = await deps.projects.get(link.shopId);
  return project ? ok({ link, project }) : err({ kind: 'pos.not_found' });
}

/**
 * A sale: an invoice of the link's project, in its fiat and currency, within its maximum. Nothing
 * else is taken from the request. Its order id is `pos:<posId>:<n>`; its description the label.
 */
export async function createPosSale(deps: Deps, hash: KeyHasher, input: { token: string; amount: Decimal; now: Instant }): Promise<Result<{ invoice: Invoice; link: PosLink }, AppError>> {
  const terminal = await openPosTerminal(deps, hash, input.token);
  if (!terminal.ok) return terminal;
  const { link, project } = terminal.value;
  const amount = checkPosAmount(link, input.amount);
  if (!amount.ok) return amount;
  const sale = await deps.posLinks.nextSaleNumber(link.id);
  const made = await createInvoice(
    deps,
    ownInvoiceCommand({ project, amount: amount.value, fiat: link.fiat, orderId: posOrderId(link, sale), description: link.label, lifetimeMs: POS_SALE_LIFETIME_MS, availableCurrencies: [link.currency], cryptocurrency: link.currency, now: input.now }),
  );
  return made.ok ? ok({ invoice: made.value, link }) : made;
}
