/** `tollgate`: manage projects, keys and test invoices of a local or deployed gateway. */

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import QRCode from 'qrcode';
import { LIFETIME_MS_MAX, LIFETIME_MS_MIN } from '../../shared/api/cryptocloud/requests';
import { RESCAN_BLOCKS_MAX } from '../../shared/api/native/requests';
import { CHAINS, FIAT_CODES, findCrypto, isFiatCode } from '../../shared/domain/currencies';
import { parseDecimal } from '../../shared/domain/money';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../shared/domain/time';
import { INVOICE_STATUSES } from '../../shared/domain/invoice/status';
import { DEFAULT_DATA_DIR, type DevnetInfo, demoPath, runtimePath } from '../local/dev-defaults';
import { payOnDevnet } from '../local/devnet-payer';
import { deployDisperse, humanDeployDisperse } from './deploy-disperse';
import { humanAttached, humanChains, humanDeadLetters, humanDonations, humanEventLog, humanInvoice, humanInvoiceList, humanPosLinks, humanProjects, humanQueued, human, table } from './output';
import { helpFor, unknownCommand } from './help';
import { CliError, describeTarget, describeTargetOrWhy, resolveTarget, type Target } from './target';
import { payoutBatch } from './payout-batch';
import { projectGoLive, testModeWarning } from './go-live';
import { humanKeys, keys } from './keys';

export const HELP = `tollgate: manage a Tollgate gateway (local by default)

Run it from the clone: \`npm run -s cli -- COMMAND\` or \`npx --no-install tollgate COMMAND\` (never a bare \`npx tollgate\`:
outside the clone that downloads another package from the public registry, in a shell that holds the admin token).

Usage:
  tollgate help [COMMAND]                                     (this text, or the lines of one command: \`tollgate help invoice\`)
  tollgate --version
  tollgate project create --name NAME [settings] [--json]
  tollgate project list [--json]
  tollgate project show SHOP_ID [--json]
  tollgate project update SHOP_ID [settings] [--json]
  tollgate project go-live SHOP_ID [--json]                   (the go-live checklist: ✓/✗ per item with its fix; exits 4 if any fails)
  tollgate link create --shop SHOP_ID --amount X [--currency USD] [--lifetime 30m|2h|3d]
                      [--description TEXT] [--order-id ID] [--json]   (a payment link, no shop code needed)
  tollgate pos create --shop SHOP_ID --currency USDT_ERC20 --max 500 [--fiat USD] [--label TEXT] [--json]
                      (a POS terminal link for staff: secret, shown once)
  tollgate pos list --shop SHOP_ID [--json]
  tollgate pos revoke --shop SHOP_ID --id POS_ID [--json]
  tollgate donation create --shop SHOP_ID --slug SLUG --title TEXT [donation settings] [--json]
  tollgate donation list --shop SHOP_ID [--json]
  tollgate donation show SLUG --shop SHOP_ID [--json]       (the page and its totals: donations received)
  tollgate donation update SLUG --shop SHOP_ID [donation settings] [--enabled false] [--json]
  tollgate wallet static create SHOP_ID --currency USDT_TRC20 --identify CUSTOMER_ID [--json]
                      (a customer's permanent deposit address; the same again for the same customer and currency)
  tollgate wallet static list SHOP_ID [--identify CUSTOMER_ID] [--cursor C] [--json]
  tollgate wallet static show SHOP_ID UUID [--cursor C] [--json]   (totals, receipts newest first, transfers kept for review)
  tollgate wallet static block|unblock SHOP_ID UUID [--json]     (a blocked wallet's receipts are still credited, and flagged)
  tollgate project totp enable SHOP_ID [--code CURRENT_CODE] [--json]
                      (prints the otpauth URI and a QR code, asks for the app's code, prints 10 recovery codes once;
                      --code: a code of the active factor, to enrol a new phone)
  tollgate project totp confirm SHOP_ID --code CODE [--json]   (confirms a started enrolment without a prompt)
  tollgate project totp status SHOP_ID [--json]
  tollgate withdrawal-wallet add SHOP_ID --currency CODE --address ADDRESS [--label TEXT] --code TOTP [--json]
                      (usable after the cooling-off, WITHDRAWAL_COOLING_OFF_HOURS, 24 by default)
  tollgate withdrawal-wallet list SHOP_ID [--removed] [--json]
  tollgate withdrawal-wallet change SHOP_ID WALLET_ID [--address A] [--label TEXT] --code TOTP [--json]
                      (a new address starts a new cooling-off)
  tollgate withdrawal-wallet remove SHOP_ID WALLET_ID --code TOTP [--json]
  tollgate audit SHOP_ID [--cursor C] [--json]                (second factor, withdrawal wallet and withdrawal events, newest first)
  tollgate rule create SHOP_ID --wallet WALLET_ID (--threshold-usd N | --every daily|weekly|monthly [--weekday D] [--day 1-28] --at HH:MM)
                      [--enabled false] --code TOTP [--json]
                      (automatic withdrawal of the whole available balance to a saved wallet, one rule per currency:
                      when it is worth N USD, or on a schedule in the project's time zone, --time-zone of project update)
  tollgate rule list SHOP_ID [--json]                         (each rule's trigger, state, next run and last firing)
  tollgate rule update SHOP_ID RULE_ID [--enabled true|false] [--wallet W] [trigger flags as create] --code TOTP [--json]
  tollgate rule delete SHOP_ID RULE_ID --code TOTP [--json]
  tollgate key rotate SHOP_ID [--api] [--secret] [--withdrawal] [--json]     (no flag: the API key; --withdrawal: the key of out/create)
  tollgate invoice list SHOP_ID [--status created|partial|paid|overpaid|canceled] [--cursor C] [--json]   (newest first)
  tollgate invoice show UUID [--json]                         (status, amounts, address, transfers seen)
  tollgate invoice confirm-test UUID [--json]                 (test-mode invoices: mark paid without funds)
  tollgate invoice confirm UUID [--json]                      (accept what a partial invoice received)
  tollgate invoice attach-tx UUID TX_HASH [--json]            (credit a transaction the watcher missed)
  tollgate postback log UUID [--json]                         (an invoice's postback events and every attempt)
  tollgate postback resend UUID [--json]                      (send an invoice's postbacks again)
  tollgate postback dlq list|redrive [--json]                 (postbacks whose attempts ran out)
  tollgate withdraw create SHOP_ID --wallet WALLET_ID --amount X [--idempotency-key K] [--json]
                      (to a saved withdrawal wallet past its cooling-off; the workflow holds, signs, sends, confirms)
  tollgate withdraw list SHOP_ID [--cursor C] [--json]
  tollgate withdraw show|cancel SHOP_ID ID [--json]           (cancel: only before it is signed; the hold is returned)
  tollgate withdraw webhooks ID [--json]                      (a withdrawal's webhook events and every attempt)
  tollgate withdraw resend ID [--json]                        (send a withdrawal's webhooks again, same event ids)
  tollgate payout batch create SHOP_ID --file payouts.csv [--no-wait] [--json]
                      (a mass payout, up to 1000 lines: currency,to_address,amount,reference; the file is checked
                      first; the same file again answers the same batch; follows it until every item is final)
  tollgate payout batch approve SHOP_ID BATCH_ID --code TOTP [--json]   (a batch above the approval threshold)
  tollgate payout batch show SHOP_ID BATCH_ID [--json]
  tollgate payout batch list SHOP_ID [--cursor C] [--json]
  tollgate chain dlq list|redrive [--json]                    (chain observations crediting kept failing on)
  tollgate chain status [--json]                              (scan position and lag per chain)
  tollgate reconcile [--json]                                 (journal vs balances, chains vs books; exits 3 on drift)
  tollgate wallet hot [--json]                                (hot wallets: address, fee reserve vs minimum, tokens)
  tollgate chain rescan CHAIN --from N --to M [--json]        (re-report transfers in a block range; or --chain CHAIN)
  tollgate chain deposits CHAIN [--cursor C] [--json]         (per deposit address: received, unswept, swept, the sweep in flight)
  tollgate chain deploy-disperse CHAIN --rpc-url URL [--mnemonic-file PATH] [--chain-id N] [--json]
                      (deploys the mass payout contract from the hot wallet and prints the ChainsJson to set; the
                      mnemonic from --mnemonic-file, MNEMONIC_FILE, MNEMONIC or the prompt; URL also TOLLGATE_RPC_URL)
  tollgate keys init|show [--mnemonic-file PATH] [--chain C,C] [--json]   (deploy keys: init writes a new mnemonic to a NEW
                      mode-600 file; show reads a file or a no-echo prompt; both print only xpubs, hot wallets, create-secret line)
  tollgate devnet info [--json]                               (local chains: anvil for Ethereum, the TronGrid simulator
                                                              for Tron: URLs, codes, token contracts, payer keys)
  tollgate devnet pay --code CODE --to ADDRESS --amount X [--json]
                      (X in whole units; ADDRESS 0x... for ETH, USDT_ERC20; T... for TRX, USDT_TRC20, USDD_TRC20)

Settings:
  --notification-url URL     --postback-format json|form    --success-url URL   --fail-url URL
  --side-commission client|merchant        --side-commission-cc client|merchant
  --service-fee-percent P    --invoice-lifetime-minutes M    --currencies CODE,CODE
  --partial-tolerance none|1.5usd|2%       --test-mode true|false                 --locale en
  --logo-url https://...     --support-contact "support@shop.example"
  --widget-origins https://shop.example,https://www.shop.example   (empty: the widget is off)
  --email-required true|false   (the payment page asks the payer for an e-mail)

Donation settings:
  --title TEXT  --description TEXT  --logo-url https://...  --currency USD  --min 1  --max 500
  --presets 5,10,25  --cryptocurrencies USDT_ERC20,ETH (empty: all the project's)
  --collect-name true|false  --collect-message true|false  --enabled true|false

Target (which gateway a command talks to; printed on stderr before human output):
  local (default): the gateway started by \`npm start\`, found through TOLLGATE_DATA_DIR (.tollgate) and PORT
  deployed: --endpoint https://... --admin-token T   (or TOLLGATE_ENDPOINT / TOLLGATE_ADMIN_TOKEN)
  \`devnet\` and \`chain deploy-disperse\` talk to chains, not to a gateway.
`;

const SETTING_FLAGS = {
  'notification-url': 'notification_url',
  'postback-format': 'postback_format',
  'success-url': 'success_url',
  'fail-url': 'fail_url',
  'side-commission': 'side_commission',
  'side-commission-cc': 'side_commission_cc',
  'service-fee-percent': 'service_fee_percent',
  'invoice-lifetime-minutes': 'invoice_lifetime_minutes',
  currencies: 'enabled_currencies',
  'partial-tolerance': 'partial_tolerance',
  'test-mode': 'test_mode',
  locale: 'locale',
  'logo-url': 'logo_url',
  'support-contact': 'support_contact',
  'widget-origins': 'widget_origins',
  'email-required': 'email_required',
  'api-payouts': 'api_payouts_enabled',
  'api-payout-daily-limit-usd': 'api_payout_daily_limit_usd',
  'payout-approval-above-usd': 'payout_approval_above_usd',
  'time-zone': 'time_zone',
  name: 'name',
} as const;

type Flags = Record<string, string | boolean | undefined>;

/** `donation create|update` flags → the /api/donations body (the gateway validates every field). */
const DONATION_FLAGS = {
  slug: 'slug',
  title: 'title',
  description: 'description',
  'logo-url': 'logo_url',
  currency: 'currency',
  min: 'min_amount',
  max: 'max_amount',
  presets: 'presets',
  cryptocurrencies: 'cryptocurrencies',
  'collect-name': 'collect_name',
  'collect-message': 'collect_message',
  enabled: 'enabled',
} as const;

function donationBody(flags: Flags): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [flag, field] of Object.entries(DONATION_FLAGS)) {
    const v = flags[flag];
    if (typeof v === 'string') out[field] = field === 'logo_url' && (v === '' || v === 'none') ? null : v;
  }
  return out;
}

/** The donation commands all name a project; the page's slug is the positional argument (create takes --slug). */
function donationShop(flags: Flags, command: string): string {
  if (typeof flags.shop !== 'string' || flags.shop === '') throw new CliError(`${command} needs --shop SHOP_ID (see \`tollgate project list\`)`);
  return `/admin/projects/${encodeURIComponent(flags.shop)}/donations`;
}

/** A page with its totals, for people: the link first, then the totals. */
function humanDonation(result: unknown): string {
  const r = result as Record<string, unknown>;
  const totals = r.totals as { count: number; by_currency: Record<string, string>; usd: string; complete: boolean } | undefined;
  const rows = Object.entries(r).filter(([k, v]) => k !== 'totals' && (v === null || typeof v !== 'object' || Array.isArray(v)));
  const lines = rows.map(([k, v]) => `${k.padEnd(18)} ${Array.isArray(v) ? v.join(',') || '(all)' : v}`);
  if (totals) {
    lines.push('totals:', `  ${'donations'.padEnd(16)} ${totals.count}${totals.complete ? '' : ' (newest only: too many to sum on read)'}`, `  ${'usd'.padEnd(16)} ${totals.usd}`);
    for (const [code, amount] of Object.entries(totals.by_currency)) lines.push(`  ${code.padEnd(16)} ${amount}`);
  }
  return `${lines.join('\n')}\n`;
}

async function call(target: Target, method: string, path: string, body?: unknown, headers: Record<string, string> = {}, timeoutMs = 15_000) {
  let res: Response;
  try {
    res = await fetch(`${target.endpoint}${path}`, {
      method,
      headers: { ...headers, authorization: `Bearer ${target.adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    throw new CliError(`cannot reach the gateway at ${target.where}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const text = await res.text();
  let parsed: { status?: string; result?: unknown };
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CliError(`the gateway answered HTTP ${res.status} with a non-JSON body`);
  }
  if (!res.ok || parsed.status !== 'success') {
    const detail = parsed.result && typeof parsed.result === 'object' ? Object.entries(parsed.result).map(([k, v]) => `${k}: ${v}`).join('; ') : text;
    throw new CliError(`HTTP ${res.status}: ${detail}`);
  }
  return parsed.result;
}

function settingsFrom(flags: Flags): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [flag, field] of Object.entries(SETTING_FLAGS)) {
    const v = flags[flag];
    if (typeof v === 'string') out[field] = v === '' || (v === 'none' && field.endsWith('_url')) ? null : v;
  }
  return out;
}

const LIFETIME_UNIT_MS = { m: MINUTE_MS, h: HOUR_MS, d: DAY_MS } as const;

/** `30m`, `2h`, `3d` → CryptoCloud's `time_to_pay`, within the bounds the create route accepts. */
function timeToPay(text: string): { hours: number; minutes: number } {
  const m = /^(\d{1,6})([mhd])$/.exec(text.trim());
  const ms = m ? Number(m[1]) * LIFETIME_UNIT_MS[m[2] as keyof typeof LIFETIME_UNIT_MS] : Number.NaN;
  if (!(ms >= LIFETIME_MS_MIN && ms <= LIFETIME_MS_MAX)) {
    throw new CliError(`--lifetime must be minutes, hours or days such as 30m, 2h or 3d, from ${LIFETIME_MS_MIN / MINUTE_MS}m to ${LIFETIME_MS_MAX / DAY_MS}d; got "${text}"`);
  }
  const minutes = ms / MINUTE_MS;
  return { hours: Math.floor(minutes / 60), minutes: minutes % 60 };
}

/** `link create`: checks what the CLI can before asking, so a typo gets a plain message. */
function linkRequest(flags: Flags) {
  const { shop, amount, description } = flags;
  if (typeof shop !== 'string' || shop === '') throw new CliError('link create needs --shop SHOP_ID (see `tollgate project list`)');
  if (typeof amount !== 'string') throw new CliError('link create needs --amount X, such as --amount 25 or --amount 9.99');
  const parsed = parseDecimal(amount);
  if (!parsed.ok || parsed.value.units <= 0n) throw new CliError(`--amount must be a number greater than 0, such as 25 or 9.99; got "${amount}"`);
  const currency = typeof flags.currency === 'string' ? flags.currency.trim().toUpperCase() : 'USD';
  if (!isFiatCode(currency)) throw new CliError(`unknown --currency "${flags.currency}"; one of ${FIAT_CODES.join(', ')}`);
  return {
    shop,
    body: {
      amount,
      currency,
      ...(typeof flags['order-id'] === 'string' ? { order_id: flags['order-id'] } : {}),
      add_fields: {
        ...(typeof flags.lifetime === 'string' ? { time_to_pay: timeToPay(flags.lifetime) } : {}),
        ...(typeof description === 'string' ? { description } : {}),
      },
    },
  };
}

/** `pos …` needs the shop; checked here so a typo gets a plain message. */
function posShop(flags: Flags, command: string): string {
  if (typeof flags.shop !== 'string' || flags.shop === '') throw new CliError(`${command} needs --shop SHOP_ID (see \`tollgate project list\`)`);
  return encodeURIComponent(flags.shop);
}

function posRequest(flags: Flags) {
  if (typeof flags.currency !== 'string') throw new CliError('pos create needs --currency CODE, the crypto every sale is paid in, such as USDT_ERC20');
  if (typeof flags.max !== 'string') throw new CliError('pos create needs --max X, the largest sale in the fiat currency, such as --max 500');
  const fiat = typeof flags.fiat === 'string' ? flags.fiat.trim().toUpperCase() : 'USD';
  if (!isFiatCode(fiat)) throw new CliError(`unknown --fiat "${flags.fiat}"; one of ${FIAT_CODES.join(', ')}`);
  return { currency: flags.currency, fiat, max: flags.max, ...(typeof flags.label === 'string' ? { label: flags.label } : {}) };
}

/** The terminal URL is the secret: printed first, with the warning that it is shown once. */
function humanPos(result: unknown): string {
  const { url, ...rest } = result as Record<string, unknown>;
  return `${url}\n\n${human(rest)}\nThe link is shown once and is the whole key to this terminal: give it only to staff. Revoke it with \`tollgate pos revoke --shop SHOP_ID --id ${rest.id}\`.\n`;
}

/** A payment link for people: the link first, then what it asks for. */
function humanLink(result: unknown): string {
  const r = result as Record<string, unknown>;
  const rows = [
    ['link', r.link],
    ['invoice', r.uuid],
    ['amount', `${r.amount_in_fiat} ${r.fiat_currency}`],
    ['expires', r.expiry_date],
    ['description', r.description],
    ['test mode', r.test_mode ? 'yes (pay it with the test wallet on the page)' : null],
  ].filter(([, v]) => v !== null && v !== undefined && v !== '');
  return `${rows.map(([k, v]) => `${String(k).padEnd(12)} ${v}`).join('\n')}\n`;
}

type DepositWire = { address: string; currency: string; received: string; unswept: string; swept: string; sweeping: string | null; sweeps: number };

/** Deposits for people: one row each, and where the next page starts. */
function humanDeposits(result: unknown): string {
  const page = result as { items: DepositWire[]; next: string | null };
  if (page.items.length === 0) return 'No deposits on this chain yet.\n';
  const rows = page.items.map((d) => [d.address, d.currency, d.received, d.unswept, d.swept, d.sweeping]);
  return table(['ADDRESS', 'CURRENCY', 'RECEIVED', 'UNSWEPT', 'SWEPT', 'SWEEPING'], rows) + (page.next ? `More: add --cursor ${page.next}\n` : '');
}

/** `tollgate reconcile` exits with this when the report has drift. */
export const RECONCILE_DRIFT_EXIT = 3;

type HotWalletWire = { chain: string; address: string | null; currency: string; native_balance: string | null; min_reserve: string; low: boolean; tokens?: { currency: string; balance: string }[] };
type ReconcileWire = {
  at: string;
  drift: boolean;
  balances_checked: number;
  balance_drifts: { shop_id: string; currency: string; fields: string[]; journal: Record<string, string>; stored: Record<string, string> }[];
  assets: { chain: string; currency: string; verdict: string; ledger: string; on_chain: string; difference: string; deposit_addresses: number; chain_hot: string | null }[];
  hot_wallets: HotWalletWire[];
  unreadable_chains: { chain: string; error: string }[];
};

function humanReconcile(r: ReconcileWire): string {
  const lines = [`Reconciliation at ${r.at}: ${r.drift ? 'DRIFT' : 'no drift'}`, ''];
  lines.push(table(['CHAIN', 'CURRENCY', 'LEDGER', 'ON CHAIN', 'DIFFERENCE', 'DEPOSITS', 'VERDICT'], r.assets.map((a) => [a.chain, a.currency, a.ledger, a.on_chain, a.difference, a.deposit_addresses, a.verdict])).trimEnd());
  lines.push('', `Balances checked: ${r.balances_checked}; disagreeing with the journal: ${r.balance_drifts.length}`);
  if (r.balance_drifts.length > 0) {
    lines.push(table(['SHOP', 'CURRENCY', 'FIELDS', 'JOURNAL', 'STORED'], r.balance_drifts.map((d) => [d.shop_id, d.currency, d.fields.join(','), d.fields.map((f) => `${f}=${d.journal[f]}`).join(' '), d.fields.map((f) => `${f}=${d.stored[f]}`).join(' ')])).trimEnd());
  }
  const low = r.hot_wallets.filter((h) => h.low);
  if (low.length > 0) lines.push('', `Low fee reserve: ${low.map((h) => `${h.chain} ${h.native_balance ?? '?'} ${h.currency} < ${h.min_reserve}`).join('; ')}`);
  for (const u of r.unreadable_chains) lines.push('', `Not checked: ${u.chain}: ${u.error}`);
  return `${lines.join('\n')}\n`;
}

function humanHotWallets(result: unknown): string {
  const wallets = result as HotWalletWire[];
  if (wallets.length === 0) return 'No chains served.\n';
  const rows = wallets.map((h) => [h.chain, h.address ?? '(not configured: HOT_WALLETS_JSON)', `${h.native_balance ?? '?'} ${h.currency}`, `${h.min_reserve} ${h.currency}`, h.low ? 'LOW' : 'ok', (h.tokens ?? []).map((t) => `${t.balance} ${t.currency}`).join(', ')]);
  return table(['CHAIN', 'ADDRESS', 'FEE RESERVE', 'MINIMUM', 'RESERVE', 'TOKENS'], rows);
}

type StaticWalletWire = { uuid: string; identify: string; currency: string; network: string; address: string; blocked: boolean; blocked_at: string | null; created: string };
type StaticWalletShown = StaticWalletWire & {
  totals: { receipts: number; received: string; net: string; last_credited_at: string | null };
  receipts: { invoice_id: string; status: string; amount: string; net: string; confirmations: number; tx_hash: string | null; created: string; blocked: boolean }[];
  next_cursor: string | null;
  strays: { count: number; items: { tx_hash: string; reason: string; currency: string | null; amount: string | null; amount_units: string }[] };
};

const blockedText = (w: StaticWalletWire) => (w.blocked ? `yes, since ${w.blocked_at} (receipts are still credited, and flagged)` : 'no');

/** One wallet for people: where to pay first, then its state. */
function humanStaticWallet(result: unknown): string {
  const w = result as StaticWalletWire;
  const rows = [
    ['address', w.address],
    ['uuid', w.uuid],
    ['identify', w.identify],
    ['currency', `${w.currency} (${w.network})`],
    ['blocked', blockedText(w)],
    ['created', w.created],
  ];
  return `${rows.map(([k, v]) => `${k.padEnd(10)} ${v}`).join('\n')}\n`;
}

function humanStaticWalletShow(result: unknown): string {
  const w = result as StaticWalletShown;
  const t = w.totals;
  const lines = [
    humanStaticWallet(w).trimEnd(),
    '',
    `${'credited'.padEnd(10)} ${t.receipts} receipt${t.receipts === 1 ? '' : 's'}: ${t.received} ${w.currency} received, ${t.net} net of fees${t.last_credited_at ? ` (last ${t.last_credited_at})` : ''}`,
    '',
  ];
  if (w.receipts.length === 0) lines.push('No receipts yet.');
  else {
    lines.push('Receipts, newest first (each is its own invoice):');
    lines.push(table(['INVOICE', 'STATUS', 'AMOUNT', 'NET', 'CONF', 'CREATED', 'TX', 'FLAG'], w.receipts.map((r) => [r.invoice_id, r.status, r.amount, r.net, r.confirmations, r.created, r.tx_hash, r.blocked ? 'blocked' : ''])).trimEnd());
  }
  if (w.next_cursor) lines.push(`More receipts: add --cursor ${w.next_cursor}`);
  if (w.strays.count > 0) {
    lines.push('', `Kept for review, not credited: ${w.strays.count} transfer${w.strays.count === 1 ? '' : 's'} (another token, or below the network fee)`);
    lines.push(table(['TX', 'REASON', 'CURRENCY', 'AMOUNT'], w.strays.items.map((s) => [s.tx_hash, s.reason, s.currency, s.amount ?? `${s.amount_units} base units`])).trimEnd());
  }
  return `${lines.join('\n')}\n`;
}

function humanStaticWalletList(result: unknown): string {
  const { static_wallets: wallets, next_cursor: next } = result as { static_wallets: StaticWalletWire[]; next_cursor: string | null };
  if (wallets.length === 0) return 'No static wallets.\n';
  const rows = wallets.map((w) => [w.uuid, w.identify, w.currency, w.address, w.blocked ? 'blocked' : '', w.created]);
  return `${table(['UUID', 'IDENTIFY', 'CURRENCY', 'ADDRESS', 'FLAG', 'CREATED'], rows)}${next ? `More wallets: add --cursor ${next}\n` : ''}`;
}

/** `wallet static …`: the shop and the wallet are positional (`show SHOP_ID UUID`). */
async function staticWallets(target: Target, sub: string | undefined, shop: string | undefined, walletId: string | undefined, flags: Flags) {
  const subs = ['create', 'list', 'show', 'block', 'unblock'];
  if (!sub || !subs.includes(sub)) throw new CliError(`wallet static needs one of ${subs.join(', ')}`);
  if (!shop) throw new CliError(`wallet static ${sub} needs a SHOP_ID (see \`tollgate project list\`)`);
  const base = `/admin/projects/${encodeURIComponent(shop)}/static-wallets`;
  const query = (fields: Record<string, unknown>) => {
    const q = new URLSearchParams(Object.entries(fields).filter((e): e is [string, string] => typeof e[1] === 'string'));
    return q.size > 0 ? `?${q}` : '';
  };
  if (sub === 'create') {
    if (typeof flags.currency !== 'string') throw new CliError('wallet static create needs --currency CODE, the crypto the wallet takes, such as USDT_TRC20');
    if (typeof flags.identify !== 'string') throw new CliError('wallet static create needs --identify CUSTOMER_ID, your id for the customer (every receipt\'s order_id)');
    return { result: await call(target, 'POST', base, { currency: flags.currency, identify: flags.identify }), show: humanStaticWallet };
  }
  if (sub === 'list') return { result: await call(target, 'GET', `${base}${query({ identify: flags.identify, cursor: flags.cursor, limit: '100' })}`), show: humanStaticWalletList };
  if (!walletId) throw new CliError(`wallet static ${sub} needs SHOP_ID and a wallet UUID (see \`tollgate wallet static list ${shop}\`)`);
  const path = `${base}/${encodeURIComponent(walletId)}`;
  if (sub === 'show') return { result: await call(target, 'GET', `${path}${query({ cursor: flags.cursor })}`), show: humanStaticWalletShow };
  return { result: await call(target, 'POST', `${path}/${sub}`), show: humanStaticWallet };
}

type WithdrawalWire = { id: string; status: string; currency: string; amount: string; fee: string; fee_side: string; send_amount: string; to_address: string; wallet_id: string | null; reason: string | null; tx_hash: string | null; created: string; updated: string };

function humanWithdrawal(result: unknown): string {
  const w = result as WithdrawalWire;
  const rows = [
    ['id', w.id],
    ['status', w.reason ? `${w.status} (${w.reason})` : w.status],
    ['amount', `${w.amount} ${w.currency}`],
    ['fee', `${w.fee} ${w.currency} (${w.fee_side} side)`],
    ['sends', `${w.send_amount} ${w.currency} to ${w.to_address}`],
    ['tx', w.tx_hash ?? '-'],
    ['created', w.created],
  ];
  return `${rows.map(([k, v]) => `${k.padEnd(8)} ${v}`).join('\n')}\n`;
}

function humanWithdrawalList(result: unknown): string {
  const { withdrawals, next } = result as { withdrawals: WithdrawalWire[]; next: string | null };
  if (withdrawals.length === 0) return 'No withdrawals.\n';
  const rows = withdrawals.map((w) => [w.id, w.status, `${w.amount} ${w.currency}`, w.to_address, w.tx_hash, w.created]);
  return `${table(['ID', 'STATUS', 'AMOUNT', 'TO', 'TX', 'CREATED'], rows)}${next ? `More: add --cursor ${next}\n` : ''}`;
}

/** `withdraw create|list|show|cancel SHOP_ID [ID]`: to saved withdrawal wallets only; `--idempotency-key` makes a retry safe. */
async function withdrawals(target: Target, sub: string | undefined, shop: string | undefined, withdrawalId: string | undefined, flags: Flags) {
  const subs = ['create', 'list', 'show', 'cancel'];
  if (!sub || !subs.includes(sub)) throw new CliError(`withdraw needs one of ${subs.join(', ')} (webhooks and resend take a withdrawal ID)`);
  if (!shop) throw new CliError(`withdraw ${sub} needs a SHOP_ID (see \`tollgate project list\`)`);
  const base = `/admin/projects/${encodeURIComponent(shop)}/withdrawals`;
  if (sub === 'create') {
    if (typeof flags.wallet !== 'string') throw new CliError(`withdraw create needs --wallet WALLET_ID, a saved withdrawal wallet (see \`tollgate withdrawal-wallet list ${shop}\`)`);
    if (typeof flags.amount !== 'string') throw new CliError('withdraw create needs --amount X, in the wallet currency');
    const headers = typeof flags['idempotency-key'] === 'string' ? { 'idempotency-key': flags['idempotency-key'] } : undefined;
    return { result: await call(target, 'POST', base, { wallet_id: flags.wallet, amount: flags.amount }, headers), show: humanWithdrawal };
  }
  if (sub === 'list') return { result: await call(target, 'GET', `${base}${typeof flags.cursor === 'string' ? `?cursor=${encodeURIComponent(flags.cursor)}` : ''}`), show: humanWithdrawalList };
  if (!withdrawalId) throw new CliError(`withdraw ${sub} needs SHOP_ID and a withdrawal ID (see \`tollgate withdraw list ${shop}\`)`);
  const path = `${base}/${encodeURIComponent(withdrawalId)}`;
  return { result: await call(target, sub === 'show' ? 'GET' : 'POST', sub === 'show' ? path : `${path}/cancel`), show: humanWithdrawal };
}

type Ask = (prompt: string) => Promise<string>;

/** One line from the terminal (the prompt on stderr, so stdout stays the command's output). */
const askStdin: Ask = async (prompt) => {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(prompt);
  } finally {
    rl.close();
  }
};

type WithdrawalWalletWire = { id: string; currency: string; network: string | null; address: string; label: string; usable: boolean; usable_from: string; created: string; removed_at: string | null };

const walletState = (w: WithdrawalWalletWire) => (w.removed_at ? `removed ${w.removed_at}` : w.usable ? 'usable' : `cooling off until ${w.usable_from}`);

function humanWithdrawalWallet(result: unknown): string {
  const w = result as WithdrawalWalletWire;
  const rows = [['address', w.address], ['id', w.id], ['currency', `${w.currency} (${w.network ?? '?'})`], ['label', w.label || '-'], ['state', walletState(w)], ['created', w.created]];
  return `${rows.map(([k, v]) => `${k.padEnd(10)} ${v}`).join('\n')}\n`;
}

function humanWithdrawalWallets(result: unknown): string {
  const { withdrawal_wallets: wallets } = result as { withdrawal_wallets: WithdrawalWalletWire[] };
  if (wallets.length === 0) return 'No withdrawal wallets.\n';
  return table(['ID', 'CURRENCY', 'ADDRESS', 'LABEL', 'STATE'], wallets.map((w) => [w.id, w.currency, w.address, w.label, walletState(w)]));
}

function humanAudit(result: unknown): string {
  const { events, next_cursor: next } = result as { events: { at: string; actor: string; action: string; subject: string; details: Record<string, unknown> }[]; next_cursor: string | null };
  if (events.length === 0) return 'No audit events.\n';
  const details = (d: Record<string, unknown>) => Object.entries(d).map(([k, v]) => `${k}=${v}`).join(' ');
  return `${table(['AT', 'ACTOR', 'ACTION', 'SUBJECT', 'DETAILS'], events.map((e) => [e.at, e.actor, e.action, e.subject, details(e.details)]))}${next ? `More events: add --cursor ${next}\n` : ''}`;
}

function humanRecoveryCodes(result: unknown): string {
  const r = result as { enabled_at: string; recovery_codes: string[] };
  return `Second factor active since ${r.enabled_at}.\n\nRecovery codes (shown once: store them offline; each works once where a code is asked for):\n${r.recovery_codes.map((c) => `  ${c}`).join('\n')}\n`;
}

function humanFactorStatus(result: unknown): string {
  const s = result as { status: string; enabled_at: string | null; reenrolment_pending: boolean; recovery_codes_left: number; locked_until: string | null };
  const rows = [
    ['status', s.status === 'none' ? 'none (enrol with `tollgate project totp enable SHOP_ID`)' : s.status],
    ['enabled', s.enabled_at ?? '-'],
    ['recovery', `${s.recovery_codes_left} code${s.recovery_codes_left === 1 ? '' : 's'} left`],
    ['locked', s.locked_until ? `until ${s.locked_until} (repeated wrong codes)` : 'no'],
    ...(s.reenrolment_pending ? [['pending', 'a new phone is being enrolled: confirm it with `tollgate project totp confirm`']] : []),
  ];
  return `${rows.map(([k, v]) => `${k.padEnd(10)} ${v}`).join('\n')}\n`;
}

const needCode = (flags: Flags, command: string) => {
  if (typeof flags.code !== 'string' || flags.code === '') throw new CliError(`${command} needs --code TOTP, the current code of the project's authenticator app (or a recovery code)`);
  return flags.code;
};

/** `project totp enable|confirm|status SHOP_ID`. */
async function projectTotp(target: Target, sub: string | undefined, shop: string | undefined, flags: Flags, out: (s: string) => void, ask: Ask) {
  const subs = ['enable', 'confirm', 'status'];
  if (!sub || !subs.includes(sub)) throw new CliError(`project totp needs one of ${subs.join(', ')}`);
  if (!shop) throw new CliError(`project totp ${sub} needs a SHOP_ID (see \`tollgate project list\`)`);
  const base = `/admin/projects/${encodeURIComponent(shop)}/second-factor`;
  if (sub === 'status') return { result: await call(target, 'GET', base), show: humanFactorStatus };
  if (sub === 'confirm') return { result: await call(target, 'POST', `${base}/confirm`, { totp_code: needCode(flags, 'project totp confirm') }), show: humanRecoveryCodes };
  const started = (await call(target, 'POST', base, typeof flags.code === 'string' ? { totp_code: flags.code } : {})) as { secret: string; otpauth_uri: string };
  // The secret must be seen before the prompt: on stdout for people; with --json, in the prompt (stderr), so stdout stays one JSON document.
  if (!flags.json) out(`Scan this with an authenticator app (or type the secret ${started.secret}):\n\n${await QRCode.toString(started.otpauth_uri, { type: 'terminal', small: true })}\n${started.otpauth_uri}\n\n`);
  const code = (await ask(flags.json ? `${started.otpauth_uri}\nCode shown by the app: ` : 'Code shown by the app: ')).trim();
  if (!code) throw new CliError(`no code given; confirm later with \`tollgate project totp confirm ${shop} --code CODE\``);
  const confirmed = (await call(target, 'POST', `${base}/confirm`, { totp_code: code })) as Record<string, unknown>;
  return { result: { secret: started.secret, otpauth_uri: started.otpauth_uri, ...confirmed }, show: humanRecoveryCodes };
}

/** `withdrawal-wallet add|list|change|remove SHOP_ID [WALLET_ID]`. */
async function withdrawalWallets(target: Target, sub: string | undefined, shop: string | undefined, walletId: string | undefined, flags: Flags) {
  const subs = ['add', 'list', 'change', 'remove'];
  if (!sub || !subs.includes(sub)) throw new CliError(`withdrawal-wallet needs one of ${subs.join(', ')}`);
  if (!shop) throw new CliError(`withdrawal-wallet ${sub} needs a SHOP_ID (see \`tollgate project list\`)`);
  const base = `/admin/projects/${encodeURIComponent(shop)}/withdrawal-wallets`;
  if (sub === 'list') return { result: await call(target, 'GET', `${base}${flags.removed ? '?removed=true' : ''}`), show: humanWithdrawalWallets };
  if (sub === 'add') {
    if (typeof flags.currency !== 'string' || typeof flags.address !== 'string') throw new CliError('withdrawal-wallet add needs --currency CODE and --address ADDRESS');
    const body = { currency: flags.currency, address: flags.address, label: typeof flags.label === 'string' ? flags.label : '', totp_code: needCode(flags, 'withdrawal-wallet add') };
    return { result: await call(target, 'POST', base, body), show: humanWithdrawalWallet };
  }
  if (!walletId) throw new CliError(`withdrawal-wallet ${sub} needs SHOP_ID and a WALLET_ID (see \`tollgate withdrawal-wallet list ${shop}\`)`);
  const path = `${base}/${encodeURIComponent(walletId)}`;
  const code = needCode(flags, `withdrawal-wallet ${sub}`);
  if (sub === 'remove') return { result: await call(target, 'DELETE', path, { totp_code: code }), show: humanWithdrawalWallet };
  const change = { ...(typeof flags.address === 'string' ? { address: flags.address } : {}), ...(typeof flags.label === 'string' ? { label: flags.label } : {}), totp_code: code };
  return { result: await call(target, 'PATCH', path, change), show: humanWithdrawalWallet };
}

type WithdrawalRuleWire = {
  id: string;
  currency: string;
  wallet_id: string;
  enabled: boolean;
  trigger: string;
  description: string;
  armed: boolean | null;
  next_run: string | null;
  last_firing: { key: string; at: string; withdrawal_id: string | null; skipped: string | null } | null;
  pending_firing: { key: string; claimed_at: string } | null;
  created: string;
};

const ruleState = (r: WithdrawalRuleWire) => (!r.enabled ? 'off' : r.armed === false ? 'on (fired; re-arms when the balance is seen below the threshold)' : 'on');
const lastFiring = (r: WithdrawalRuleWire) =>
  r.pending_firing ? `pending ${r.pending_firing.key}` : r.last_firing ? `${r.last_firing.at} ${r.last_firing.withdrawal_id ?? `skipped: ${r.last_firing.skipped}`}` : '-';

function humanWithdrawalRule(result: unknown): string {
  const r = result as WithdrawalRuleWire;
  const rows = [['id', r.id], ['currency', r.currency], ['wallet', r.wallet_id], ['trigger', r.description], ['state', ruleState(r)], ['next run', r.next_run ?? '-'], ['last', lastFiring(r)], ['created', r.created]];
  return `${rows.map(([k, v]) => `${k.padEnd(10)} ${v}`).join('\n')}\n`;
}

function humanWithdrawalRules(result: unknown): string {
  const { withdrawal_rules: rules } = result as { withdrawal_rules: WithdrawalRuleWire[] };
  if (rules.length === 0) return 'No withdrawal rules.\n';
  return table(['ID', 'CURRENCY', 'WALLET', 'TRIGGER', 'STATE', 'NEXT RUN', 'LAST FIRING'], rules.map((r) => [r.id, r.currency, r.wallet_id, r.description, r.enabled ? 'on' : 'off', r.next_run ?? '-', lastFiring(r)]));
}

/** The trigger flags → the wire's flat trigger: --threshold-usd is an amount rule, --every a schedule (the gateway checks the rest). */
function ruleTriggerBody(flags: Flags): Record<string, string> {
  const body: Record<string, string> = {};
  if (typeof flags['threshold-usd'] === 'string') body.trigger = 'amount';
  else if (typeof flags.every === 'string') body.trigger = 'schedule';
  const fields = { 'threshold-usd': 'threshold_usd', every: 'every', weekday: 'weekday', day: 'day', at: 'time' } as const;
  for (const [flag, field] of Object.entries(fields)) if (typeof flags[flag] === 'string') body[field] = flags[flag] as string;
  return body;
}

const enabledFlag = (flags: Flags): { enabled?: boolean } => {
  if (flags.enabled === undefined) return {};
  if (flags.enabled !== 'true' && flags.enabled !== 'false') throw new CliError('--enabled must be true or false');
  return { enabled: flags.enabled === 'true' };
};

/** `rule create|list|update|delete SHOP_ID [RULE_ID]`. */
async function withdrawalRules(target: Target, sub: string | undefined, shop: string | undefined, ruleId: string | undefined, flags: Flags) {
  if (!shop) throw new CliError(`rule ${sub} needs a SHOP_ID (see \`tollgate project list\`)`);
  const base = `/admin/projects/${encodeURIComponent(shop)}/withdrawal-rules`;
  if (sub === 'list') return { result: await call(target, 'GET', base), show: humanWithdrawalRules };
  if (sub === 'create') {
    if (typeof flags.wallet !== 'string') throw new CliError(`rule create needs --wallet WALLET_ID, a saved withdrawal wallet past its cooling-off (see \`tollgate withdrawal-wallet list ${shop}\`)`);
    const trigger = ruleTriggerBody(flags);
    if (!trigger.trigger) throw new CliError('rule create needs a trigger: --threshold-usd N (withdraw all when the available balance is worth N USD) or --every daily|weekly|monthly --at HH:MM');
    const body = { wallet_id: flags.wallet, ...trigger, ...enabledFlag(flags), totp_code: needCode(flags, 'rule create') };
    return { result: await call(target, 'POST', base, body), show: humanWithdrawalRule };
  }
  if (!ruleId) throw new CliError(`rule ${sub} needs SHOP_ID and a RULE_ID (see \`tollgate rule list ${shop}\`)`);
  const path = `${base}/${encodeURIComponent(ruleId)}`;
  const code = needCode(flags, `rule ${sub}`);
  if (sub === 'delete') return { result: await call(target, 'DELETE', path, { totp_code: code }), show: humanWithdrawalRule };
  const change = { ...(typeof flags.wallet === 'string' ? { wallet_id: flags.wallet } : {}), ...enabledFlag(flags), ...ruleTriggerBody(flags), totp_code: code };
  return { result: await call(target, 'PATCH', path, change), show: humanWithdrawalRule };
}

/** A chain id the gateway knows; anything else is refused here with the valid ones. */
function knownChain(chain: string | undefined, command: string): string {
  const valid = Object.keys(CHAINS);
  if (!chain) throw new CliError(`${command} needs a CHAIN: ${valid.join(', ')}`);
  if (!Object.hasOwn(CHAINS, chain)) throw new CliError(`unknown chain ${chain}; valid: ${valid.join(', ')}`);
  return chain;
}

/** The version in package.json (the CLI runs from the clone, so the file is there). */
function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

type RotatedKeys = { shop_id: string; api_key?: string; secret_key?: string };

/**
 * `npm start` prints the demo project's keys from its file in the data folder (the table keeps
 * only a hash of the API key): a rotation of that project through the local gateway writes the new
 * keys there, so what `npm start` prints next keeps working. Says what it did, or null.
 */
function followDemoProject(target: Target, rotated: RotatedKeys): string | null {
  if (!target.dataDir) return null;
  const path = demoPath(target.dataDir);
  if (!existsSync(path)) return null;
  const demo = JSON.parse(readFileSync(path, 'utf8')) as RotatedKeys;
  if (demo.shop_id !== rotated.shop_id) return null;
  const next = { ...demo, ...(rotated.api_key ? { api_key: rotated.api_key } : {}), ...(rotated.secret_key ? { secret_key: rotated.secret_key } : {}) };
  writeFileSync(path, JSON.stringify(next, null, 2), { mode: 0o600 });
  return `This is the demo project: its new keys are saved in ${path}, which \`npm start\` prints.`;
}

/** Splits a long range into calls the admin route accepts, and sums what they re-reported. */
async function rescan(target: Target, flags: Flags) {
  const chain = flags.chain;
  const from = Number(flags.from);
  const to = Number(flags.to);
  if (typeof chain !== 'string' || !Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to < from) {
    throw new CliError('chain rescan needs CHAIN --from N --to M with 0 <= N <= M');
  }
  knownChain(chain, 'chain rescan');
  let observations = 0;
  for (let start = from; start <= to; start += RESCAN_BLOCKS_MAX) {
    const end = Math.min(to, start + RESCAN_BLOCKS_MAX - 1);
    const part = (await call(target, 'POST', `/admin/chains/${encodeURIComponent(chain)}/rescan`, { from: start, to: end })) as { observations: number };
    observations += part.observations;
  }
  return { chain, from, to, observations };
}

/** Redrive calls per command: the route moves a page per call, and a DLQ that keeps refilling must not loop forever. */
const REDRIVE_ROUNDS_MAX = 100;

/** `postback dlq …` and `chain dlq …`: one implementation over the queue's dead letters. */
async function deadLetters(target: () => Target, queue: 'postbacks' | 'observations', action: string | undefined, command: string) {
  const path = `/admin/queues/${queue}/dlq`;
  if (action === 'list') return call(target(), 'GET', path);
  if (action !== 'redrive') throw new CliError(`${command} needs list or redrive`);
  const at = target();
  let moved = 0;
  for (let round = 0; round < REDRIVE_ROUNDS_MAX; round += 1) {
    const page = (await call(at, 'POST', `${path}/redrive`)) as { moved: number };
    moved += page.moved;
    if (page.moved === 0) break;
  }
  return { queue, moved };
}

/** `devnet info` for people: one block per local chain, with what it serves. */
function humanDevnet(result: unknown): string {
  const d = result as DevnetInfo;
  const served = (family: 'evm' | 'tron') =>
    d.codes.flatMap((code) => {
      const c = findCrypto(code);
      return c && CHAINS[c.chain].family === family ? [`  ${code.padEnd(18)} ${c.contract === null ? '(native coin)' : (d.tokens[code] ?? '')}`] : [];
    });
  const lines = [
    `${d.chain} (anvil devnet)`,
    `  ${'rpc_url'.padEnd(18)} ${d.rpc_url}`,
    `  ${'chain_id'.padEnd(18)} ${d.chain_id}`,
    `  ${'payer_address'.padEnd(18)} ${d.payer_address}`,
    `  ${'payer_private_key'.padEnd(18)} ${d.payer_private_key}`,
    ...(d.disperse_contract ? [`  ${'disperse_contract'.padEnd(18)} ${d.disperse_contract}`] : []),
    ...served('evm'),
  ];
  if (d.tron) {
    lines.push(
      'tron (TronGrid simulator)',
      `  ${'api_url'.padEnd(18)} ${d.tron.api_url}`,
      `  ${'payer_address'.padEnd(18)} ${d.tron.payer_address}`,
      `  ${'payer_private_key'.padEnd(18)} ${d.tron.payer_private_key}`,
      ...served('tron'),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The devnet of the local gateway (runtime.json in the data folder). */
function localDevnet(env: Record<string, string | undefined>): DevnetInfo {
  const dataDir = resolve(env.TOLLGATE_DATA_DIR ?? DEFAULT_DATA_DIR);
  const path = runtimePath(dataDir);
  const running = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { devnet?: DevnetInfo }) : null;
  if (!running?.devnet) throw new CliError(`no local gateway is running for ${dataDir}; start it with \`npm start\` (the devnet lives inside it)`);
  return running.devnet;
}

/**
 * `note` takes what is not the command's output (the target header): the entry point sends it to
 * stderr, so stdout stays what a script reads.
 */
export async function run(argv: string[], env: Record<string, string | undefined>, out: (s: string) => void, ask: Ask = askStdin, note: (s: string) => void = () => {}): Promise<number> {
  const options = {
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'v' },
    status: { type: 'string' },
    withdrawal: { type: 'boolean' },
    endpoint: { type: 'string' },
    'admin-token': { type: 'string' },
    api: { type: 'boolean' },
    secret: { type: 'boolean' },
    chain: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    code: { type: 'string' },
    amount: { type: 'string' },
    shop: { type: 'string' },
    currency: { type: 'string' },
    lifetime: { type: 'string' },
    description: { type: 'string' },
    'order-id': { type: 'string' },
    fiat: { type: 'string' },
    max: { type: 'string' },
    label: { type: 'string' },
    id: { type: 'string' },
    identify: { type: 'string' },
    cursor: { type: 'string' },
    address: { type: 'string' },
    removed: { type: 'boolean' },
    file: { type: 'string' },
    'no-wait': { type: 'boolean' },
    // `withdraw create --wallet`, `rule create|update --wallet` and the rule's trigger flags.
    wallet: { type: 'string' },
    'idempotency-key': { type: 'string' },
    'threshold-usd': { type: 'string' },
    every: { type: 'string' },
    weekday: { type: 'string' },
    day: { type: 'string' },
    at: { type: 'string' },
    'rpc-url': { type: 'string' },
    'mnemonic-file': { type: 'string' },
    'chain-id': { type: 'string' },
    ...Object.fromEntries(Object.keys(DONATION_FLAGS).filter((f) => !(f in SETTING_FLAGS) && f !== 'currency' && f !== 'description').map((f) => [f, { type: 'string' }])),
    ...Object.fromEntries(Object.keys(SETTING_FLAGS).map((f) => [f, { type: 'string' }])),
  } as const;
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new CliError(`${e instanceof Error ? e.message : String(e)}\n\n${HELP}`);
  }
  const flags = parsed.values as Flags;
  const [group, action, id, extra, fifth] = parsed.positionals;
  const targetFlags = { endpoint: flags.endpoint as string | undefined, adminToken: flags['admin-token'] as string | undefined };
  if (flags.version) {
    out(`tollgate ${packageVersion()}\n`);
    return 0;
  }
  if (flags.help || !group || group === 'help') {
    const words = group === 'help' ? parsed.positionals.slice(1) : flags.help ? parsed.positionals : [];
    if (words.length === 0) {
      out(`${HELP}\nTarget now: ${describeTargetOrWhy(targetFlags, env)}\n`);
      return 0;
    }
    const lines = helpFor(HELP, words);
    if (!lines) throw new CliError(unknownCommand(HELP, words));
    out(lines);
    return 0;
  }
  const need = (what: string) => {
    if (!id) throw new CliError(`${group} ${action} needs ${what}`);
    return encodeURIComponent(id);
  };
  let announced = false;
  // Human output starts with which gateway answered (stderr); --json output stays one document.
  const target = () => {
    const t = resolveTarget(targetFlags, env);
    if (!announced && !flags.json) note(`tollgate → ${describeTarget(t)}\n`);
    announced = true;
    return t;
  };
  let result: unknown;
  let show = human;
  const command = group === 'audit' || group === 'withdrawal-wallet' || group === 'reconcile' ? group : `${group} ${action ?? ''}`.trim();
  switch (command) {
    case 'project totp': {
      const answer = await projectTotp(target(), id, extra, flags, out, ask);
      result = answer.result;
      show = answer.show;
      break;
    }
    case 'withdrawal-wallet': {
      const answer = await withdrawalWallets(target(), action, id, extra, flags);
      result = answer.result;
      show = answer.show;
      break;
    }
    case 'audit': {
      if (!action) throw new CliError('audit needs a SHOP_ID (see `tollgate project list`)');
      const cursor = typeof flags.cursor === 'string' ? `&cursor=${encodeURIComponent(flags.cursor)}` : '';
      result = await call(target(), 'GET', `/admin/projects/${encodeURIComponent(action)}/audit?limit=100${cursor}`);
      show = humanAudit;
      break;
    }
    case 'project create':
      if (typeof flags.name !== 'string') throw new CliError('project create needs --name NAME');
      result = await call(target(), 'POST', '/admin/projects', settingsFrom(flags));
      break;
    case 'project list':
      result = await call(target(), 'GET', '/admin/projects');
      show = humanProjects;
      break;
    case 'project show':
      result = await call(target(), 'GET', `/admin/projects/${need('a SHOP_ID')}`);
      break;
    case 'project update':
      result = await call(target(), 'PATCH', `/admin/projects/${need('a SHOP_ID')}`, settingsFrom(flags));
      break;
    case 'project go-live': return projectGoLive((method, path) => call(target(), method, path), need('a SHOP_ID'), target().where, flags.json === true, out);
    case 'link create': {
      const { shop, body } = linkRequest(flags);
      try {
        result = await call(target(), 'POST', `/admin/projects/${encodeURIComponent(shop)}/invoices`, body);
      } catch (e) {
        // An unknown shop is a 404 naming shop_id (an unknown route is a 404 too, naming nothing).
        if (e instanceof CliError && e.message.startsWith('HTTP 404: shop_id')) throw new CliError(`no project with shop id "${shop}" (see \`tollgate project list\`)`);
        throw e;
      }
      show = humanLink;
      break;
    }
    case 'pos create':
      result = await call(target(), 'POST', `/admin/projects/${posShop(flags, command)}/pos`, posRequest(flags));
      show = humanPos;
      break;
    case 'pos list':
      result = await call(target(), 'GET', `/admin/projects/${posShop(flags, command)}/pos`);
      show = humanPosLinks;
      break;
    case 'pos revoke':
      if (typeof flags.id !== 'string') throw new CliError('pos revoke needs --id POS_ID (see `tollgate pos list`)');
      result = await call(target(), 'DELETE', `/admin/projects/${posShop(flags, command)}/pos/${encodeURIComponent(flags.id)}`);
      break;
    case 'donation create':
      if (typeof flags.slug !== 'string' || typeof flags.title !== 'string') throw new CliError('donation create needs --slug SLUG (3-40 of a-z, 0-9, -) and --title TEXT');
      result = await call(target(), 'POST', donationShop(flags, command), donationBody(flags));
      show = humanDonation;
      break;
    case 'donation list':
      result = ((await call(target(), 'GET', `${donationShop(flags, command)}?limit=100`)) as { donations: unknown[] }).donations;
      show = humanDonations;
      break;
    case 'donation show':
      result = await call(target(), 'GET', `${donationShop(flags, command)}/${need('a SLUG')}`);
      show = humanDonation;
      break;
    case 'donation update':
      result = await call(target(), 'PATCH', `${donationShop(flags, command)}/${need('a SLUG')}`, donationBody(flags));
      show = humanDonation;
      break;
    case 'wallet static': {
      const answer = await staticWallets(target(), id, extra, fifth, flags);
      result = answer.result;
      show = answer.show;
      break;
    }
    case 'key rotate': {
      const at = target();
      result = await call(at, 'POST', `/admin/projects/${need('a SHOP_ID')}/rotate-keys`, {
        ...(flags.api ? { api: true } : {}),
        ...(flags.secret ? { secret: true } : {}),
        ...(flags.withdrawal ? { withdrawal: true } : {}),
      });
      const followed = followDemoProject(at, result as RotatedKeys);
      if (followed) show = (r) => `${human(r)}\n${followed}\n`;
      break;
    }
    case 'invoice list': {
      if (!id) throw new CliError('invoice list needs a SHOP_ID (see `tollgate project list`)');
      const status = typeof flags.status === 'string' ? flags.status.trim().toLowerCase() : undefined;
      if (status !== undefined && !(INVOICE_STATUSES as readonly string[]).includes(status)) throw new CliError(`unknown --status "${flags.status}"; valid: ${INVOICE_STATUSES.join(', ')}`);
      const query = new URLSearchParams({ limit: '50', ...(status ? { status } : {}), ...(typeof flags.cursor === 'string' ? { cursor: flags.cursor } : {}) });
      result = await call(target(), 'GET', `/admin/projects/${encodeURIComponent(id)}/invoices?${query}`);
      show = humanInvoiceList;
      break;
    }
    case 'invoice show':
      result = await call(target(), 'GET', `/admin/invoices/${need('an invoice UUID')}`);
      show = humanInvoice;
      break;
    case 'invoice confirm-test':
      result = await call(target(), 'POST', `/admin/invoices/${need('an invoice UUID')}/confirm-test`);
      show = humanInvoice;
      break;
    case 'invoice confirm':
      result = await call(target(), 'POST', `/admin/invoices/${need('an invoice UUID')}/confirm`);
      show = humanInvoice;
      break;
    case 'invoice attach-tx':
      if (!extra) throw new CliError('invoice attach-tx needs UUID and TX_HASH');
      result = await call(target(), 'POST', `/admin/invoices/${need('an invoice UUID')}/attach-tx`, { tx_hash: extra });
      show = humanAttached;
      break;
    case 'postback log':
      result = await call(target(), 'GET', `/admin/invoices/${need('an invoice UUID')}/postbacks`);
      show = humanEventLog('postback');
      break;
    case 'postback resend':
      result = await call(target(), 'POST', `/admin/invoices/${need('an invoice UUID')}/postbacks/resend`);
      show = humanQueued('postback');
      break;
    case 'postback dlq':
      result = await deadLetters(target, 'postbacks', id, command);
      if (id === 'list') show = humanDeadLetters;
      break;
    case 'payout batch': {
      const answer = await payoutBatch(
        {
          call: (method, path, body, headers, timeoutMs) => call(target(), method, path, body, headers, timeoutMs),
          out,
          readFile: (path) => readFileSync(resolve(path), 'utf8'),
          table,
          tty: process.stdout.isTTY === true,
          // Tests and scripts may poll faster than a person needs.
          pollMs: Number(env.TOLLGATE_POLL_MS ?? 2000),
          sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
        },
        id,
        extra,
        fifth,
        flags,
      );
      result = answer.result;
      show = answer.show;
      break;
    }
    case 'rule create':
    case 'rule list':
    case 'rule update':
    case 'rule delete': {
      const answer = await withdrawalRules(target(), action, id, extra, flags);
      result = answer.result;
      show = answer.show;
      break;
    }
    case 'withdraw create':
    case 'withdraw list':
    case 'withdraw show':
    case 'withdraw cancel': {
      const answer = await withdrawals(target(), action, id, extra, flags);
      result = answer.result;
      show = answer.show;
      break;
    }
    // Withdrawal ids look like invoice ids (INV-XXXXXXXX), so `postback log ID` could not tell them apart.
    case 'withdraw webhooks':
      result = await call(target(), 'GET', `/admin/withdrawals/${need('a withdrawal ID')}/webhooks`);
      show = humanEventLog('webhook');
      break;
    case 'withdraw resend':
      result = await call(target(), 'POST', `/admin/withdrawals/${need('a withdrawal ID')}/webhooks/resend`);
      show = humanQueued('webhook');
      break;
    case 'chain dlq':
      result = await deadLetters(target, 'observations', id, command);
      if (id === 'list') show = humanDeadLetters;
      break;
    case 'chain status':
      result = await call(target(), 'GET', '/admin/chains');
      show = humanChains;
      break;
    case 'reconcile': {
      const report = (await call(target(), 'GET', '/admin/reconcile')) as ReconcileWire;
      out(flags.json ? `${JSON.stringify(report, null, 2)}\n` : humanReconcile(report));
      // Drift is what a script or a cron job must notice: a distinct exit code (2 is a usage error).
      return report.drift ? RECONCILE_DRIFT_EXIT : 0;
    }
    case 'wallet hot':
      result = await call(target(), 'GET', '/admin/hot-wallets');
      show = humanHotWallets;
      break;
    case 'chain deposits': {
      const cursor = typeof flags.cursor === 'string' ? `?cursor=${encodeURIComponent(flags.cursor)}` : '';
      const path = `/admin/chains/${encodeURIComponent(knownChain(id, command))}/deposits${cursor}`;
      result = await call(target(), 'GET', path);
      show = humanDeposits;
      break;
    }
    case 'chain deploy-disperse':
      result = await deployDisperse(id === undefined ? id : knownChain(id, command), flags as { 'rpc-url'?: string; 'mnemonic-file'?: string; 'chain-id'?: string }, env, ask);
      show = humanDeployDisperse;
      break;
    case 'chain rescan': {
      const chain = knownChain(id ?? (typeof flags.chain === 'string' ? flags.chain : undefined), command);
      result = await rescan(target(), { ...flags, chain });
      break;
    }
    case 'keys init':
    case 'keys show':
      result = await keys(action, flags as { 'mnemonic-file'?: string; chain?: string }, env);
      show = humanKeys;
      break;
    case 'devnet info':
      result = localDevnet(env);
      show = humanDevnet;
      break;
    case 'devnet pay': {
      const [code, to, amount] = [flags.code, flags.to, flags.amount];
      if (typeof code !== 'string' || typeof to !== 'string' || typeof amount !== 'string') throw new CliError('devnet pay needs --code CODE --to ADDRESS --amount X');
      try {
        result = await payOnDevnet(localDevnet(env), { code, to, amount });
      } catch (e) {
        throw new CliError(`devnet pay: ${e instanceof Error ? e.message : String(e)}`);
      }
      break;
    }
    default:
      throw new CliError(unknownCommand(HELP, parsed.positionals.slice(0, 3)));
  }
  process.stderr.write(testModeWarning(command, (flags.endpoint as string | undefined) ?? env.TOLLGATE_ENDPOINT, result) ?? '');
  out(flags.json ? `${JSON.stringify(result, null, 2)}\n` : show(result));
  return 0;
}

const invokedDirectly = process.argv[1] && /(?:tollgate(?:\.mjs)?|cli[\\/]main\.ts)$/.test(process.argv[1]);
if (invokedDirectly) {
  run(process.argv.slice(2), process.env, (s) => process.stdout.write(s), askStdin, (s) => process.stderr.write(s))
    .then((code) => process.exit(code))
    .catch((e: unknown) => {
      process.stderr.write(`tollgate: ${e instanceof CliError ? e.message : e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(e instanceof CliError ? 2 : 1);
    });
}
