/**
 * Least privilege on the synthesized template (issue 9, item 14): each function's IAM policy is
 * evaluated here for the table actions, key prefixes, queues and secrets it may use, and its
 * environment is compared with what its manifest access implies.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app';
import { namedFunctions } from '../../lib/manifest';
import { keys, PARTITIONS } from '../../shared/adapters/dynamo/keys';
import type { InvoiceId, StaticWalletId } from '../../shared/domain/ids';

type Statement = { Action: string | string[]; Resource: unknown; Condition?: Record<string, Record<string, string[]>> };
type Fn = { env: Record<string, unknown>; statements: Statement[] };

let template: Template;
const fns = new Map<string, Fn>();
const fn = (id: string): Fn => {
  const found = fns.get(id);
  if (!found) throw new Error(`no function ${id}`);
  return found;
};

beforeAll(() => {
  const { stack } = buildApp(new App({ context: { 'aws:cdk:bundling-stacks': [] } }));
  template = Template.fromStack(stack);
  const policies = Object.values(template.findResources('AWS::IAM::Policy'));
  for (const resource of Object.values(template.findResources('AWS::Lambda::Function'))) {
    const named = namedFunctions().find((f) => f.spec.description === resource.Properties.Description);
    if (!named) continue;
    const role = resource.Properties.Role['Fn::GetAtt'][0] as string;
    const statements = policies
      .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === role))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
    const env = { ...(resource.Properties.Environment?.Variables ?? {}) };
    delete env.NODE_OPTIONS;
    fns.set(named.id, { env, statements });
  }
});

const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const like = (pattern: string, value: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(value);
const isTable = (s: Statement) => JSON.stringify(s.Resource).includes('StorageTable') && !JSON.stringify(s.Resource).includes('/index/');

/** Whether `f` may do `action` on an item whose pk is `pk`, or (a Query) on the index `index`. */
function may(f: Fn, action: string, target: { pk: string } | { index: string }): boolean {
  return f.statements.some((s) => {
    if (!actionsOf(s).includes(action)) return false;
    if ('index' in target) return JSON.stringify(s.Resource).includes(`/index/${target.index}`);
    if (!isTable(s)) return false;
    const leading = s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'];
    return leading === undefined || leading.some((p) => like(p, target.pk));
  });
}
/** Whether `f`'s policy names a resource whose logical id starts with `prefix` for `action`. */
const mayOn = (f: Fn, action: string, prefix: string) => f.statements.some((s) => actionsOf(s).includes(action) && JSON.stringify(s.Resource).includes(`"${prefix}`));
const allIds = () => [...fns.keys()].sort();
const whoMay = (test: (f: Fn) => boolean) => allIds().filter((id) => test(fn(id)));

const BALANCE = keys.balance('shop1', 'USDT_ERC20').pk;
const JOURNAL = keys.ledger('shop1', 'USDT_ERC20', 'e1').pk;
const INVOICE = keys.invoice('ABCD1234' as InvoiceId).pk;
const TRANSFER = keys.transfer(`ethereum#0x${'ab'.repeat(32)}#0`).pk;
const WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

describe('least privilege per function', () => {
  it('finds every function of the manifest in the template', () => {
    expect(allIds()).toEqual(namedFunctions().map((f) => f.id).sort());
  });

  it('limits every table grant to key prefixes (LeadingKeys) or to named indexes; nothing scans or uses a wildcard', () => {
    const declared = Object.values(PARTITIONS).map((p) => `${p}*`);
    for (const id of allIds()) {
      for (const s of fn(id).statements.filter((st) => actionsOf(st).some((a) => a.startsWith('dynamodb:')))) {
        expect(actionsOf(s).filter((a) => a.includes('*') || a === 'dynamodb:Scan'), id).toEqual([]);
        if (isTable(s)) {
          const leading = s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'];
          expect(leading, `${id}: table statement without LeadingKeys`).toBeDefined();
          for (const p of leading ?? []) expect(declared, id).toContain(p);
        } else {
          expect(actionsOf(s), id).toEqual(['dynamodb:Query']);
          expect(JSON.stringify(s.Resource), id).not.toContain('/index/*');
        }
      }
    }
  });

  it('lets only crediting and the workflow workers write journal entries, only crediting and withdrawals balances; the postback sender writes only its attempt log', () => {
    // Credits (crediting); holds, settlements, releases and fees (withdrawal and payout batch workers); sweep moves and gas (sweep worker).
    expect(whoMay((f) => WRITES.some((a) => may(f, a, { pk: JOURNAL })))).toEqual(['crediting', 'payout-batch-worker', 'sweep-worker', 'withdrawal-worker']);
    // Admin writes project items (same partition as balances); only crediting and the withdrawal and payout batch workers update a balance.
    expect(whoMay((f) => may(f, 'dynamodb:UpdateItem', { pk: BALANCE }))).toEqual(['crediting', 'payout-batch-worker', 'withdrawal-worker']);
    expect(whoMay((f) => WRITES.some((a) => may(f, a, { pk: TRANSFER })))).toEqual(['crediting']);
    const sender = fn('postback-sender');
    for (const a of WRITES) {
      expect(may(sender, a, { pk: BALANCE }), a).toBe(false);
      expect(may(sender, a, { pk: JOURNAL }), a).toBe(false);
      expect(may(sender, a, { pk: TRANSFER }), a).toBe(false);
    }
    expect(may(sender, 'dynamodb:PutItem', { pk: keys.postbackAttempt('ABCD1234' as InvoiceId, '2026-01-01T00:00:00.000Z', 'ev1', 1).pk })).toBe(true);
    expect(may(sender, 'dynamodb:GetItem', { pk: keys.project('shop1').pk })).toBe(true);
    // A withdrawal's webhooks: it reads the withdrawal and logs in the withdrawal's partition.
    const withdrawalLog = keys.withdrawalPostbackAttempt('INV-ABCD1234', '2026-01-01T00:00:00.000Z', 'ev1', 1).pk;
    for (const a of ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']) expect(may(sender, a, { pk: withdrawalLog }), a).toBe(true);
  });

  it('keeps the wallet read-only and the watcher to its checkpoints', () => {
    const wallet = fn('wallet');
    expect(may(wallet, 'dynamodb:Query', { pk: BALANCE })).toBe(true);
    expect(WRITES.some((a) => may(wallet, a, { pk: BALANCE }) || may(wallet, a, { pk: INVOICE }))).toBe(false);
    const watcher = fn('chain-watcher');
    expect(may(watcher, 'dynamodb:PutItem', { pk: keys.checkpoint('ethereum').pk })).toBe(true);
    expect(may(watcher, 'dynamodb:Query', { index: 'byDueTime' })).toBe(true);
    expect(WRITES.some((a) => [INVOICE, TRANSFER, JOURNAL, BALANCE].some((pk) => may(watcher, a, { pk })))).toBe(false);
    expect(may(fn('invoice-expiry'), 'dynamodb:Query', { index: 'byOwnerTime' })).toBe(false);
  });

  it('lets static wallets be made where they are made, their receipts written by crediting alone', () => {
    const wallet = keys.staticWallet('A'.repeat(32) as StaticWalletId).pk;
    const receipts = keys.walletReceipts('A'.repeat(32) as StaticWalletId);
    const identify = keys.staticIdentify('shop1', 'ab'.repeat(32), 'USDT_ERC20').pk;
    // Created (wallet, identify lookup, address claim) by the native create and the CLI; blocked by a put; shown with what crediting keeps.
    for (const id of ['admin', 'invoices']) {
      for (const a of ['dynamodb:GetItem', 'dynamodb:PutItem']) expect(may(fn(id), a, { pk: wallet }), `${id} ${a}`).toBe(true);
      for (const a of ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']) expect(may(fn(id), a, { pk: identify }), `${id} ${a}`).toBe(true);
      for (const a of ['dynamodb:GetItem', 'dynamodb:Query']) expect(may(fn(id), a, { pk: receipts }), `${id} ${a}`).toBe(true);
      expect(may(fn(id), 'dynamodb:PutItem', { pk: keys.address('ethereum', '0xab').pk }), id).toBe(true);
      expect(may(fn(id), 'dynamodb:UpdateItem', { pk: keys.addressCounter('evm').pk }), id).toBe(true);
    }
    // Crediting reads the wallet; writes receipt links and strays, moves the totals, reads the latest receipts.
    expect(may(fn('crediting'), 'dynamodb:GetItem', { pk: wallet })).toBe(true);
    for (const a of ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query']) expect(may(fn('crediting'), a, { pk: receipts }), a).toBe(true);
    // The public pages read one wallet and its latest receipts, and query no index.
    expect(may(fn('pages'), 'dynamodb:GetItem', { pk: wallet })).toBe(true);
    expect(may(fn('pages'), 'dynamodb:Query', { pk: receipts })).toBe(true);
    expect(may(fn('pages'), 'dynamodb:Query', { index: 'byOwnerTime' })).toBe(false);
    expect(whoMay((f) => WRITES.some((a) => may(f, a, { pk: receipts })))).toEqual(['crediting']);
    expect(whoMay((f) => WRITES.some((a) => may(f, a, { pk: wallet })))).toEqual(['admin', 'invoices']);
    expect(whoMay((f) => WRITES.some((a) => may(f, a, { pk: identify })))).toEqual(['admin', 'invoices']);
  });

  it('gives health nothing: no policy statement, no environment', () => {
    expect(fn('health').statements).toEqual([]);
    expect(fn('health').env).toEqual({});
  });

  it('lets only the functions that read chains read the RPC URL secret, which no environment carries', () => {
    const rpcReaders = ['admin', 'chain-watcher', 'crediting', 'invoices', 'network-fees', 'payout-batch-worker', 'reconciliation', 'sweep-worker', 'tron-watcher', 'withdrawal-worker'];
    expect(whoMay((f) => mayOn(f, 'secretsmanager:GetSecretValue', 'RpcUrls'))).toEqual(rpcReaders);
    expect(whoMay((f) => 'RPC_URLS_SECRET_ARN' in f.env)).toEqual(rpcReaders);
    for (const id of allIds()) expect(JSON.stringify(fn(id).env), id).not.toContain('RpcUrlsJson');
    const [chains] = Object.values(template.findParameters('ChainsJson'));
    const pattern = new RegExp(chains.AllowedPattern);
    expect(pattern.test('{"ethereum":{"rpcUrls":["https://eth.example/KEY"]}}')).toBe(false);
    expect(pattern.test('{"ethereum":{},"base":{"logScan":"registry"}}')).toBe(true);
    // TronGrid keys are secrets too.
    expect(pattern.test('{"tron":{"apiKeys":["KEY"]}}')).toBe(false);
    expect(pattern.test('{"tron":{}}')).toBe(true);
  });

  it('gives each secret and queue only to the functions that use it', () => {
    // invoices: /api/withdrawal-wallets checks TOTP codes, whose secrets are sealed with the project secrets key.
    expect(whoMay((f) => mayOn(f, 'secretsmanager:GetSecretValue', 'ProjectSecretsKey'))).toEqual(['admin', 'invoices', 'postback-sender']);
    expect(whoMay((f) => mayOn(f, 'secretsmanager:GetSecretValue', 'AdminToken'))).toEqual(['admin']);
    expect(whoMay((f) => mayOn(f, 'sqs:SendMessage', 'QueuesobservationsQueue'))).toEqual(['admin', 'chain-watcher', 'crediting', 'invoices', 'tron-watcher']);
    expect(whoMay((f) => mayOn(f, 'sqs:SendMessage', 'QueuespostbacksQueue'))).toEqual(['admin', 'crediting', 'invoices', 'payout-batch-worker', 'withdrawal-rules', 'withdrawal-worker']);
    expect(whoMay((f) => mayOn(f, 'sqs:ReceiveMessage', 'QueuespostbacksDlq'))).toEqual(['admin']);
    expect(whoMay((f) => mayOn(f, 'sqs:ReceiveMessage', 'QueuesobservationsDlq'))).toEqual(['admin']);
  });

  it('gives each function the environment its access implies, and no more', () => {
    const base = ['LOG_LEVEL', 'SERVICE_NAME', 'TABLE_NAME'];
    const expected: Record<string, string[]> = {
      invoices: [...base, 'CHAINS_JSON', 'RPC_URLS_SECRET_ARN', 'PROJECT_SECRETS_KEY_ARN', 'EVM_XPUB', 'TRON_XPUB', 'PUBLIC_BASE_URL', 'QUEUE_URL_OBSERVATIONS', 'QUEUE_URL_POSTBACKS', 'RATES_MODE', 'STATE_MACHINE_ARN_WITHDRAWAL', 'STATE_MACHINE_ARN_PAYOUT_BATCH'],
      // CHAINS_JSON: each currency's `enable` says whether this deployment serves it.
      wallet: [...base, 'RATES_MODE', 'CHAINS_JSON'],
      admin: [
        ...base,
        'ADMIN_TOKEN_SECRET_ARN',
        'CHAINS_JSON',
        // `tollgate wallet static create` derives the wallet's deposit address.
        'EVM_XPUB',
        'TRON_XPUB',
        // `tollgate reconcile` and `tollgate wallet hot`: the hot wallets' public addresses.
        'HOT_WALLETS_JSON',
        'RPC_URLS_SECRET_ARN',
        'PROJECT_SECRETS_KEY_ARN',
        'PUBLIC_BASE_URL',
        'QUEUE_URL_OBSERVATIONS',
        'QUEUE_URL_OBSERVATIONS_DLQ',
        'QUEUE_URL_POSTBACKS',
        'QUEUE_URL_POSTBACKS_DLQ',
        'RATES_MODE',
        'STATE_MACHINE_ARN_WITHDRAWAL',
        // `tollgate payout batch create|approve` starts the batch's execution.
        'STATE_MACHINE_ARN_PAYOUT_BATCH',
        // `tollgate project go-live`: whether the AlarmEmail parameter is set.
        'ALARM_EMAIL_CONFIGURED',
      ],
      health: [],
      // Read-only pages: links, chain names and heights; never a key, an xpub, a queue or a secret.
      pages: [...base, 'CHAINS_JSON', 'PUBLIC_BASE_URL'],
      // Keyless invoice creation: prices (rates), derives deposit addresses (xpub), hands out links.
      public: [...base, 'CHAINS_JSON', 'EVM_XPUB', 'TRON_XPUB', 'PUBLIC_BASE_URL', 'RATES_MODE'],
      'invoice-expiry': base,
      'chain-watcher': [...base, 'CHAINS_JSON', 'RPC_URLS_SECRET_ARN', 'QUEUE_URL_OBSERVATIONS'],
      'tron-watcher': [...base, 'CHAINS_JSON', 'RPC_URLS_SECRET_ARN', 'QUEUE_URL_OBSERVATIONS'],
      crediting: [...base, 'CHAINS_JSON', 'RPC_URLS_SECRET_ARN', 'PUBLIC_BASE_URL', 'QUEUE_URL_OBSERVATIONS', 'QUEUE_URL_POSTBACKS', 'RATES_MODE'],
      'postback-sender': [...base, 'PROJECT_SECRETS_KEY_ARN', 'PUBLIC_BASE_URL', 'QUEUE_URL_POSTBACKS'],
      // Starts sweeps; reads no chain and no key.
      'sweep-planner': [...base, 'CHAINS_JSON', 'RATES_MODE', 'STATE_MACHINE_ARN_SWEEP'],
      // Fires withdrawal rules: requests withdrawals (their `requested` webhook) and starts their executions; reads no chain and no key.
      'withdrawal-rules': [...base, 'CHAINS_JSON', 'QUEUE_URL_POSTBACKS', 'RATES_MODE', 'STATE_MACHINE_ARN_WITHDRAWAL'],
      // Reads the chains and the hot wallets' public addresses; never the mnemonic.
      reconciliation: [...base, 'CHAINS_JSON', 'HOT_WALLETS_JSON', 'RPC_URLS_SECRET_ARN'],
      // The only three given the mnemonic's ARN: the workers that sign.
      'withdrawal-worker': [...base, 'CHAINS_JSON', 'MNEMONIC_SECRET_ARN', 'PUBLIC_BASE_URL', 'QUEUE_URL_POSTBACKS', 'RATES_MODE', 'RPC_URLS_SECRET_ARN'],
      // A mass payout's items are withdrawals: the same as the withdrawal worker.
      'payout-batch-worker': [...base, 'CHAINS_JSON', 'MNEMONIC_SECRET_ARN', 'PUBLIC_BASE_URL', 'QUEUE_URL_POSTBACKS', 'RATES_MODE', 'RPC_URLS_SECRET_ARN'],
      'sweep-worker': [...base, 'CHAINS_JSON', 'MNEMONIC_SECRET_ARN', 'RATES_MODE', 'RPC_URLS_SECRET_ARN'],
      // Reads each chain's fee prices and stores them (CHAIN#<chain> / FEES); no key, no queue.
      'network-fees': [...base, 'CHAINS_JSON', 'RPC_URLS_SECRET_ARN'],
    };
    for (const id of allIds()) expect(Object.keys(fn(id).env).sort(), id).toEqual([...(expected[id] ?? ['(not in this table)'])].sort());
  });
});

describe('partition families', () => {
  it('every key the table grammar builds starts with a declared family, so some grant can name it', () => {
    const id = 'ABCD1234' as InvoiceId;
    const built = [
      keys.project('s'),
      keys.apiKey('h'),
      keys.invoice(id),
      keys.address('ethereum', '0xab'),
      keys.addressCounter('evm'),
      keys.projectCounter(),
      keys.idempotency('s', 'h'),
      keys.balance('s', 'ETH'),
      keys.transfer(`ethereum#0x${'ab'.repeat(32)}#native`),
      keys.checkpoint('ethereum'),
      keys.postbackAttempt(id, '2026-01-01T00:00:00.000Z', 'e', 1),
      keys.postbackDelivered(id, 'e'),
      keys.withdrawalPostbackAttempt('INV-ABCD1234', '2026-01-01T00:00:00.000Z', 'e', 1),
      keys.withdrawalPostbackDelivered('INV-ABCD1234', 'e'),
      keys.ledger('s', 'ETH', 'e'),
      keys.posLink('h'),
      keys.posSaleCounter('pos_0123'),
      keys.staticWallet('A'.repeat(32) as StaticWalletId),
      keys.staticIdentify('s', 'h', 'ETH'),
      keys.staticReceipt('A'.repeat(32) as StaticWalletId, `ethereum#0x${'ab'.repeat(32)}#native`),
      keys.staticTotals('A'.repeat(32) as StaticWalletId),
    ];
    for (const k of built) expect(Object.values(PARTITIONS).some((p) => k.pk.startsWith(p)), k.pk).toBe(true);
  });
});
