/** The synthesized stack: resources from the manifest, least privilege, and a clean cdk-nag run. */
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app';
import { dlqUrlEnv, functionSpecs, httpGroups, queues, routes, workflows } from '../../lib/manifest';
import { TollgateStack } from '../../lib/infra/tollgate-stack';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PAGE_ASSET_DIR } from '../../lib/manifest';
import { presentInvoice } from '../../shared/api/cryptocloud/presenters';
import { resolveChainDeployments } from '../../shared/domain/chains';
import { findCrypto } from '../../shared/domain/currencies';
import { payerView } from '../../shared/domain/invoice/payer-view';
import { ratio } from '../../shared/domain/money';
import { defaultSettings, type Project } from '../../shared/domain/project';
import { ICON_ASSET } from '../../shared/pages/icons';
import { renderPaymentPage } from '../../shared/pages/pay-page';
import { buildInvoice } from '../support/builders';

let template: Template;

beforeAll(() => {
  // Bundling is skipped here (it is exercised by `npx cdk synth`), which keeps this file ~3 s.
  const { stack } = buildApp(new App({ context: { 'aws:cdk:bundling-stacks': [] } }));
  template = Template.fromStack(stack);
});

describe('Tollgate stack', () => {
  it('has one table with PK/SK, sparse GSIs, PITR, encryption and TTL, retained', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: {
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
        GlobalSecondaryIndexes: [
          Match.objectLike({ IndexName: 'byOwnerTime', Projection: { ProjectionType: 'ALL' } }),
          Match.objectLike({ IndexName: 'byDueTime', Projection: { ProjectionType: 'KEYS_ONLY' } }),
        ],
      },
    });
  });

  it('has an HTTP API with every manifest route and one Lambda per route group', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    for (const r of Object.values(routes)) template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: `${r.method} ${r.path}` });
    template.resourceCountIs('AWS::ApiGatewayV2::Route', Object.keys(routes).length);
    template.resourceCountIs('AWS::ApiGatewayV2::Integration', Object.keys(httpGroups).length);
    template.resourceCountIs('AWS::Lambda::Function', functionSpecs().length);
    template.allResourcesProperties('AWS::Lambda::Function', { Runtime: 'nodejs22.x', Architectures: ['arm64'] });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', { AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }) });
    // Public routes have a ceiling of their own, across clients (per-client limits live in the functions).
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0] as { Properties: { RouteSettings: Record<string, { ThrottlingRateLimit: number }> }; DependsOn?: string[] };
    expect(stage.Properties.RouteSettings['GET /api/public/invoices/{invoiceId}'].ThrottlingRateLimit).toBeLessThan(200);
    expect(stage.Properties.RouteSettings['POST /api/invoices/{invoiceId}/select'].ThrottlingRateLimit).toBeLessThanOrEqual(10);
    expect(stage.DependsOn?.length).toBeGreaterThan(0);
  });

  it('serves on AWS every URL the API and the payment page hand out (links, icons, styles, scripts)', () => {
    const base = 'https://pay.example';
    const project: Project = { shopId: 'shop', number: 1, createdAt: 0, settings: defaultSettings('Shop'), apiKeyHash: 'h', secretKeyCipher: 'c', secretKeyRotatedAt: 0, previousSecretKeyCipher: null, withdrawalKeyHash: null, version: 1 };
    const usdt = findCrypto('USDT_ERC20');
    if (!usdt) throw new Error('registry has no USDT_ERC20');
    const selection = { code: usdt.code, address: `0x${'1'.repeat(40)}`, derivationIndex: 0, baseAmount: 10_000_000n, transferFee: 0n, serviceFee: 0n, amountToPay: 10_000_000n, usdPerUnit: ratio(1n, 1n), lockedAt: 0, lockedUntil: 60_000 };
    const invoice = buildInvoice({ selection });
    const urls = JSON.stringify(presentInvoice({ publicBaseUrl: base }, invoice, project)).match(/https:\/\/pay\.example[^"]*/g) ?? [];
    const chains = resolveChainDeployments({ ethereum: { rpcUrls: ['https://rpc.example'] } });
    if (!chains.ok) throw new Error('chain settings');
    // Both the choice (currency icons) and the pay panel (QR), with every script and style they load.
    const pagePaths = [buildInvoice(), invoice].flatMap((shown) => {
      const view = payerView(shown, { now: 0, heads: new Map(), chains: chains.value });
      const html = renderPaymentPage({ invoice: shown, project, view, locale: 'en', chains: chains.value, now: 0, testWallet: true });
      return [...html.matchAll(/(?:href|src)="(\/[^"]*)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
    });
    const paths = [...urls.map((u) => new URL(u).pathname), ...pagePaths.map((p) => p.split('?')[0])];
    expect(paths.some((p) => p.startsWith('/assets/icons/'))).toBe(true);
    expect(paths.some((p) => p.startsWith('/pay/'))).toBe(true);
    // The API's routes as API Gateway matches them: `{name}` one segment, `{name+}` the rest.
    const routeKeys = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => String((r as { Properties: { RouteKey: string } }).Properties.RouteKey));
    const served = routeKeys.filter((k) => k.startsWith('GET ')).map((k) => new RegExp(`^${k.slice(4).replace(/\./g, '\\.').replace(/\{\w+\+\}/g, '.+').replace(/\{\w+\}/g, '[^/]+')}$`));
    for (const path of new Set(paths)) {
      expect(served.some((r) => r.test(path)), `GET ${path} has a route`).toBe(true);
      // An asset is a file deployed beside the pages bundle, or a generated icon.
      const asset = /^\/assets\/(.+)$/.exec(path)?.[1];
      if (asset) expect(ICON_ASSET.test(asset) || existsSync(join(import.meta.dirname, '..', '..', PAGE_ASSET_DIR, asset)), `${path} exists`).toBe(true);
    }
    // The folder is copied into the pages function's bundle (lib/infra/tollgate-function.ts).
    expect(httpGroups.pages.assetDir).toBe(PAGE_ASSET_DIR);
  });

  it('has every queue with a DLQ, and the expiry schedule', () => {
    template.resourceCountIs('AWS::SQS::Queue', Object.keys(queues).length * 2);
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: queues.postbacks.maxReceiveCount },
      VisibilityTimeout: queues.postbacks.visibilityTimeoutSeconds,
      SqsManagedSseEnabled: true,
    });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minute)' });
  });

  it('gives functions only the xpub, never a private key, and secrets by ARN only', () => {
    const fns = template.findResources('AWS::Lambda::Function');
    const workers = Object.values(workflows).map((w) => w.worker.description);
    for (const fn of Object.values(fns)) {
      const env = (fn.Properties.Environment?.Variables ?? {}) as Record<string, unknown>;
      // The workflow workers get the mnemonic secret's ARN (a reference to the parameter), never its value.
      const signer = workers.includes(fn.Properties.Description);
      expect(Object.keys(env).filter((k) => /MNEMONIC|PRIVATE|XPRV/i.test(k))).toEqual(signer ? ['MNEMONIC_SECRET_ARN'] : []);
      if (signer) expect(env.MNEMONIC_SECRET_ARN).toEqual({ Ref: 'MnemonicSecretArn' });
      expect(env.PROJECT_SECRETS_KEY).toBeUndefined();
      expect(env.ADMIN_TOKEN_SHA256).toBeUndefined();
    }
    template.hasParameter('EvmXpub', { AllowedPattern: Match.stringLikeRegexp('xpub') });
    template.hasParameter('TronXpub', { AllowedPattern: Match.stringLikeRegexp('xpub'), Default: '' });
  });

  it('alarms on any function error and any dead-lettered message, to an encrypted topic', () => {
    const watchedChains = 7;
    const stuckWork = 1;
    const ledgerDebt = 1;
    // ExecutionsFailed and ExecutionsTimedOut per state machine.
    const workflowAlarms = 2 * Object.keys(workflows).length;
    // reconcile.drift and hot_wallet.low_reserve, each one alarm fed by the reconciling functions' log groups.
    const logEvents = 2;
    template.resourceCountIs('AWS::CloudWatch::Alarm', functionSpecs().length + Object.keys(queues).length + watchedChains + stuckWork + ledgerDebt + workflowAlarms + logEvents);
    template.hasResourceProperties('AWS::Logs::MetricFilter', { FilterPattern: '{ $.msg = "reconcile.drift" }', MetricTransformations: [Match.objectLike({ MetricName: 'ReconcileDrift', MetricNamespace: 'Tollgate', MetricValue: '1' })] });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ReconcileDrift', Namespace: 'Tollgate', Threshold: 1 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'HotWalletLowReserve', Namespace: 'Tollgate', Threshold: 1 });
    // A reversal that took more than the available balance (debt recorded by crediting).
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'LedgerDebtRecorded', Namespace: 'Tollgate', Threshold: 1 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 1 });
    // Work stuck in the expiry or confirmation queue (StuckWorkItems, both queues in one alarm).
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 1,
      Metrics: Match.arrayWith([Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'StuckWorkItems', Dimensions: [{ Name: 'Queue', Value: 'confirmations' }] }) }) })]),
    });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResource('AWS::SNS::Subscription', { Condition: Match.anyValue() });
  });

  it('runs one watcher schedule per chain, alarms on a growing scan lag, and feeds crediting from SQS with per-message failures', () => {
    const rules = Object.values(template.findResources('AWS::Events::Rule'));
    const chainInputs = rules.flatMap((r) => (r.Properties.Targets as { Input?: string }[]).flatMap((t) => (t.Input ? [JSON.parse(t.Input).chain] : [])));
    expect(chainInputs.sort()).toEqual(['arbitrum', 'base', 'bsc', 'ethereum', 'optimism', 'polygon', 'tron']);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ScanLagBlocks', Namespace: 'Tollgate', Dimensions: [{ Name: 'Chain', Value: 'ethereum' }], Threshold: 25 });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: queues.observations.consumer.batchSize, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    template.hasParameter('RpcUrlsJson', { NoEcho: true });
    // Each chain runs under its family's watcher: tron under tron-watcher, EVM chains under chain-watcher.
    const targetOf = (chain: string) => {
      const rule = rules.find((r) => (r.Properties.Targets as { Input?: string }[]).some((t) => t.Input && JSON.parse(t.Input).chain === chain));
      return JSON.stringify(rule?.Properties.Targets);
    };
    expect(targetOf('tron')).toContain('ScheduleTronWatcher');
    for (const chain of ['ethereum', 'bsc']) expect(targetOf(chain)).toContain('ScheduleChainWatcher');
  });

  it('gives TRON_XPUB only when the TronXpub parameter is set (config refuses an empty xpub)', () => {
    const fns = Object.entries(template.findResources('AWS::Lambda::Function'));
    const withTron = fns.filter(([, fn]) => 'TRON_XPUB' in (fn.Properties.Environment?.Variables ?? {}));
    expect(withTron.map(([id]) => id.replace(/Function.*/, '')).sort()).toEqual(['Admin', 'Invoices', 'Public']);
    for (const [, fn] of withTron) expect(fn.Properties.Environment.Variables.TRON_XPUB).toEqual({ 'Fn::If': ['HasTronXpub', { Ref: 'TronXpub' }, { Ref: 'AWS::NoValue' }] });
  });

  it('sends postbacks from their own consumer, which may change visibility (backoff); only admin may read the DLQ back', () => {
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', Object.values(queues).filter((q) => q.consumer).length);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: queues.postbacks.consumer.batchSize, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    expect(queues.postbacks.maxReceiveCount).toBeGreaterThanOrEqual(10);
    const policies = Object.entries(template.findResources('AWS::IAM::Policy'));
    const statementsOf = (prefix: string) => JSON.stringify(policies.find(([id]) => id.startsWith(prefix))?.[1].Properties.PolicyDocument.Statement ?? []);
    expect(statementsOf('ConsumerPostbackSender')).toContain('sqs:ChangeMessageVisibility');
    const fns = Object.entries(template.findResources('AWS::Lambda::Function'));
    for (const queue of ['postbacks', 'observations'] as const) {
      const dlqReaders = policies.filter(([, p]) => JSON.stringify(p.Properties.PolicyDocument.Statement).includes(`${queue}Dlq`) && JSON.stringify(p.Properties.PolicyDocument.Statement).includes('sqs:ReceiveMessage'));
      expect(dlqReaders.map(([id]) => id.replace(/ServiceRole.*/, '')), queue).toEqual(['AdminFunction']);
      expect(fns.filter(([, fn]) => dlqUrlEnv(queue) in (fn.Properties.Environment?.Variables ?? {})).map(([id]) => id.replace(/Function.*/, '')), queue).toEqual(['Admin']);
    }
  });

  it('keeps the wallet function read-only on the table', () => {
    const policies = template.findResources('AWS::IAM::Policy');
    const wallet = Object.entries(policies).find(([id]) => id.startsWith('WalletFunction'));
    const actions = JSON.stringify(wallet?.[1].Properties.PolicyDocument.Statement);
    expect(actions).toContain('dynamodb:GetItem');
    expect(actions).not.toContain('dynamodb:PutItem');
  });

  it('passes the cdk-nag AwsSolutions checks (synth throws on any unacknowledged finding)', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    new TollgateStack(app, 'NagCheck');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
  });

  it('the same check does fail on a finding, so the test above means something', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Bad');
    new Queue(stack, 'PlainQueue');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow();
  });
});
