/**
 * The go-live checklist (issue 15 §2): what a project and its deployment need before real money,
 * each item pass, fail or warn with a one-line fix (the command or setting to change). Pure: the
 * app probes the notification URL, the chains and the hot wallets and hands the answers in.
 * Also what a currency's service in this deployment is (served, or why not): the currency table
 * and the API's `enable` read it.
 */
import { type ChainDeployment, describeFinality } from './chains';
import { CHAINS, type ChainId, type Confirmations, CRYPTO_CURRENCIES, type CryptoCurrency, findCrypto } from './currencies';
import { formatDecimal, fromUnits } from './money';
import { bareHost, classifyAddress } from './network';
import type { Project } from './project';

/** fail: not ready for real payments; warn: works, but worth a look; pass: done. */
export type CheckStatus = 'pass' | 'fail' | 'warn';
export const CHECK_IDS = ['test_mode', 'notification_url', 'return_urls', 'currencies', 'alarm_email', 'rpc', 'hot_wallet'] as const;
export type CheckId = (typeof CHECK_IDS)[number];

/** One line of the checklist; `fix` is null when there is nothing to do. */
export type GoLiveCheck = { id: CheckId; chain?: ChainId; status: CheckStatus; title: string; detail: string; fix: string | null };
export type GoLiveReport = { shopId: string; ready: boolean; checks: GoLiveCheck[] };

// --- what a currency's service is -------------------------------------------------------------

export type CurrencyService = { code: string; served: boolean; contract: string | null; reason: string };

/** Served means: its chain is in the deployment and the deployment knows its contract there (a devnet has only what it deployed). */
export function currencyService(deployments: readonly ChainDeployment[], currency: CryptoCurrency): CurrencyService {
  const base = { code: currency.code, contract: currency.contract };
  if (!CHAINS[currency.chain].enabled) return { ...base, served: false, reason: 'chain not enabled in this build' };
  const deployment = deployments.find((d) => d.chain === currency.chain);
  if (!deployment) return { ...base, served: false, reason: 'chain not in ChainsJson' };
  const served = deployment.currencies.find((c) => c.currency.code === currency.code);
  if (!served) return { ...base, served: false, reason: deployment.devnet ? 'no token contract on this chain (devnet: not deployed)' : 'no token contract on this chain' };
  return { ...base, contract: served.contract, served: true, reason: served.contract !== currency.contract ? 'served (contract from ChainsJson tokens)' : 'served' };
}

/** `enable` of a CryptoCloud currency object: this deployment serves it and the project takes it. */
export const currencyEnabled = (deployments: readonly ChainDeployment[], project: Pick<Project, 'settings'>, code: string): boolean => {
  const currency = findCrypto(code);
  return currency !== undefined && project.settings.enabledCurrencies.includes(currency.code) && currencyService(deployments, currency).served;
};

/** `12`, `safe`, `finalized above 1000 USD`: a chain's confirmation rule as a table cell. */
export const describeConfirmations = (c: Confirmations): string =>
  `${describeFinality(c.normal)}${c.large ? `; ${describeFinality(c.large.rule)} above ${c.large.aboveUsd} USD` : ''}`;

/** One row of the currency table (README, `npm run docs:currencies`). */
export type CurrencyRow = { code: string; chain: string; contract: string; decimals: number; confirmations: string; enabled: boolean; why: string };

export const currencyRows = (deployments: readonly ChainDeployment[]): CurrencyRow[] =>
  CRYPTO_CURRENCIES.map((c) => {
    const s = currencyService(deployments, c);
    return { code: c.code, chain: CHAINS[c.chain].name, contract: s.contract ?? '(native coin)', decimals: c.decimals, confirmations: describeConfirmations(CHAINS[c.chain].confirmations), enabled: s.served, why: s.reason };
  });

/** The rows as a markdown table. */
export function currencyTableMarkdown(rows: readonly CurrencyRow[]): string {
  const head = ['Code', 'Chain', 'Contract', 'Decimals', 'Default confirmations', 'Enabled', 'Why'];
  const lines = rows.map((r) => [r.code, r.chain, r.contract.startsWith('(') ? r.contract : `\`${r.contract}\``, String(r.decimals), r.confirmations, r.enabled ? 'yes' : 'no', r.why]);
  return [head, head.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

// --- the checks -------------------------------------------------------------------------------

const update = (shopId: string, flags: string) => `tollgate project update ${shopId} ${flags}`;

export function testModeCheck(project: Project): GoLiveCheck {
  const title = 'Test mode off';
  return project.settings.testMode
    ? { id: 'test_mode', status: 'fail', title, detail: 'the project is in test mode: invoices can be confirmed without payment and postbacks carry test_mode=true', fix: update(project.shopId, '--test-mode false') }
    : { id: 'test_mode', status: 'pass', title, detail: 'live', fix: null };
}

/** What probing the notification URL gave (the postback transport's result, reduced). */
export type UrlProbe =
  | { kind: 'answered'; status: number; latencyMs: number }
  | { kind: 'refused' | 'timeout' | 'unreachable'; reason: string; latencyMs: number };

/** Origin and path only: a query string may hold the merchant's own secret. */
const shown = (url: string) => {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
};

/** A URL on this machine (localhost, 127.0.0.0/8, ::1): plain http to it never leaves the machine. False for a URL that does not parse. */
export const isLoopbackUrl = (url: string): boolean => {
  if (!URL.canParse(url)) return false;
  const host = bareHost(new URL(url));
  return host === 'localhost' || host.endsWith('.localhost') || classifyAddress(host) === 'loopback';
};

/** Any 2xx or 4xx is a listener that is there (a 4xx is what a listener that verifies signatures answers the unsigned probe); 5xx and silence are not. */
export function notificationUrlCheck(project: Project, probe: UrlProbe | null): GoLiveCheck {
  const title = 'Notification URL set and answering';
  const url = project.settings.notificationUrl;
  const setUrl = update(project.shopId, '--notification-url https://your-shop.example/cryptocloud/callback');
  if (!url || !probe) return { id: 'notification_url', status: 'fail', title, detail: 'no notification URL: the shop is never told an invoice was paid', fix: setUrl };
  const where = shown(url);
  if (probe.kind === 'refused') return { id: 'notification_url', status: 'fail', title, detail: `${where}: refused by the postback URL guard (${probe.reason})`, fix: `use a public https URL: ${setUrl}` };
  if (probe.kind !== 'answered') return { id: 'notification_url', status: 'fail', title, detail: `${where}: ${probe.reason}`, fix: `make ${where} reachable from the gateway (DNS, firewall, TLS), or ${setUrl}` };
  const http = `${where} answered HTTP ${probe.status} in ${probe.latencyMs} ms`;
  if (probe.status >= 500 || probe.status < 200) return { id: 'notification_url', status: 'fail', title, detail: `${http}: the listener fails`, fix: `fix the listener at ${where} (its logs): postbacks answered 5xx are retried, then parked` };
  if (probe.status >= 300 && probe.status < 400) return { id: 'notification_url', status: 'warn', title, detail: `${http}: a redirect; postbacks do not follow redirects`, fix: `set the URL it redirects to: ${setUrl}` };
  if (!url.startsWith('https:') && !isLoopbackUrl(url)) return { id: 'notification_url', status: 'warn', title, detail: `${http}, over plain http: postbacks and their token travel unencrypted`, fix: `serve the listener over https and ${setUrl}` };
  return { id: 'notification_url', status: 'pass', title, detail: http, fix: null };
}

export function returnUrlsCheck(project: Project): GoLiveCheck {
  const title = 'Success and fail URLs set';
  const missing = [
    ...(project.settings.successUrl ? [] : [['success', '--success-url https://your-shop.example/checkout/success']]),
    ...(project.settings.failUrl ? [] : [['fail', '--fail-url https://your-shop.example/checkout/fail']]),
  ];
  if (missing.length === 0) return { id: 'return_urls', status: 'pass', title, detail: 'both set', fix: null };
  return {
    id: 'return_urls',
    status: 'fail',
    title,
    detail: `no ${missing.map(([name]) => name).join(' or ')} URL: the payment page cannot send the customer back to the shop`,
    fix: update(project.shopId, missing.map(([, flag]) => flag).join(' ')),
  };
}

/** The project's currencies against what the deployment serves. */
export function currenciesCheck(project: Project, deployments: readonly ChainDeployment[]): GoLiveCheck {
  const title = 'Currencies served by configured chains';
  const services = project.settings.enabledCurrencies.flatMap((code) => {
    const c = findCrypto(code);
    return c ? [currencyService(deployments, c)] : [];
  });
  const served = services.filter((s) => s.served).map((s) => s.code);
  const unserved = services.filter((s) => !s.served);
  // Grouped by reason: a default project lists the whole registry, and one reason per code repeats itself.
  const byReason = new Map<string, typeof unserved>();
  for (const s of unserved) byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s]);
  const unservedText = [...byReason].map(([reason, codes]) => `${reason}: ${codes.map((s) => s.code).join(', ')}`).join('; ');
  if (served.length === 0) {
    return { id: 'currencies', status: 'fail', title, detail: services.length === 0 ? 'the project accepts no currency' : `none of the project's currencies is served: ${unservedText}`, fix: 'add their chains to ChainsJson (stack parameter; CHAINS_JSON locally) and redeploy' };
  }
  if (unserved.length > 0) {
    return { id: 'currencies', status: 'warn', title, detail: `served: ${served.join(', ')}; not served, so never offered to a payer (${unservedText})`, fix: `${update(project.shopId, `--currencies ${served.join(',')}`)} (or add the chains to ChainsJson)` };
  }
  return { id: 'currencies', status: 'pass', title, detail: `all served: ${served.join(', ')}`, fix: null };
}

/** `configured`: the stack's AlarmEmail parameter is set (true), empty (false), or there is no stack (null: the local runtime). */
export function alarmEmailCheck(configured: boolean | null): GoLiveCheck {
  const title = 'Alarm e-mail configured';
  const fix = 'deploy with --parameters AlarmEmail=ops@your-shop.example, then confirm the subscription e-mail from AWS';
  if (configured === null) return { id: 'alarm_email', status: 'warn', title, detail: 'not a deployed stack: alarms exist on AWS only', fix };
  return configured
    ? { id: 'alarm_email', status: 'pass', title, detail: 'AlarmEmail is set (the address must have confirmed the subscription e-mail)', fix: null }
    : { id: 'alarm_email', status: 'fail', title, detail: 'AlarmEmail is empty: alarms (watcher lag, dead letters, drift, low hot wallet) reach nobody', fix };
}

/** The chains whose codes the project accepts and the deployment serves: the ones its payments depend on. */
export const projectChains = (project: Project, deployments: readonly ChainDeployment[]): ChainDeployment[] =>
  deployments.filter((d) => d.currencies.some((c) => project.settings.enabledCurrencies.includes(c.currency.code)));

export type RpcProbe = { ok: true; head: number } | { ok: false; error: string };

export function rpcCheck(deployment: ChainDeployment, probe: RpcProbe): GoLiveCheck {
  const title = `RPC endpoints of ${deployment.chain}`;
  const chain = deployment.chain;
  if (probe.ok) return { id: 'rpc', chain, status: 'pass', title, detail: `chain id ${deployment.evmChainId}, head block ${probe.head}`, fix: null };
  const fix = deployment.rpcUrls.length > 0 ? `fix CHAINS_JSON.${chain}.rpcUrls and restart` : `fix the ${chain} entry of RpcUrlsJson (stack parameter, kept in the endpoints secret) and redeploy`;
  return { id: 'rpc', chain, status: 'fail', title, detail: probe.error, fix };
}

/** What the hot wallet view read for a chain (shared/app/reconciliation.ts), or why it could not. */
export type HotWalletProbe = { ok: true; address: string | null; nativeCode: string; native: bigint | null; minimum: bigint; decimals: number } | { ok: false; error: string };

export function hotWalletCheck(chain: ChainId, probe: HotWalletProbe): GoLiveCheck {
  const title = `Hot wallet funded on ${chain}`;
  if (!probe.ok) return { id: 'hot_wallet', chain, status: 'fail', title, detail: `its balance could not be read: ${probe.error}`, fix: 'fix the chain\'s RPC endpoints (above), then `tollgate wallet hot`' };
  const coins = (units: bigint) => `${formatDecimal(fromUnits(units, probe.decimals))} ${probe.nativeCode}`;
  if (probe.address === null) {
    return { id: 'hot_wallet', chain, status: 'fail', title, detail: 'no hot wallet address: sweeps and withdrawals cannot be checked or paid for', fix: `set its public address in HotWalletsJson (stack parameter): {"${chain}":"<address>"}` };
  }
  if (probe.native === null || probe.native < probe.minimum) {
    const has = probe.native === null ? 'an unknown amount' : coins(probe.native);
    return { id: 'hot_wallet', chain, status: 'fail', title, detail: `${probe.address} holds ${has}, below the ${coins(probe.minimum)} fee reserve: sweeps and withdrawals stall`, fix: `send at least ${coins(probe.minimum - (probe.native ?? 0n))} to ${probe.address} (minimum: HOT_WALLET_MIN_RESERVE_JSON)` };
  }
  return { id: 'hot_wallet', chain, status: 'pass', title, detail: `${probe.address} holds ${coins(probe.native)} (reserve ${coins(probe.minimum)})`, fix: null };
}

export const goLiveReport = (shopId: string, checks: GoLiveCheck[]): GoLiveReport => ({ shopId, ready: checks.every((c) => c.status !== 'fail'), checks });
