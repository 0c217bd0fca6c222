/** The HTTP API (API Gateway v2): one Lambda per route group, routes from the manifest. */
import { type CfnCondition, RemovalPolicy } from 'aws-cdk-lib';
import { CfnApiMapping, CfnDomainName, type CfnRoute, type CfnStage, HttpApi as ApiGwHttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type HttpGroup, type RateLimitId, type RouteSpec, routeKey, routes } from '../manifest';
import type { TollgateFunction } from './tollgate-function';

/** Stage-wide throttle: generous for a shop, a ceiling for abuse. */
const THROTTLE_RATE_PER_SECOND = 200;
const THROTTLE_BURST = 400;
/**
 * Public routes get a lower ceiling of their own, across all clients: the per-client limits in
 * the functions (lib/manifest.ts rateLimits) stop one client; this caps what a crowd of them
 * costs. A status poll every 3 s from 300 open payment pages is 100 requests a second.
 */
const PUBLIC_THROTTLE: Record<RateLimitId, { rate: number; burst: number }> = { browse: { rate: 100, burst: 200 }, create: { rate: 10, burst: 20 } };

export class HttpApi extends Construct {
  readonly api: ApiGwHttpApi;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.api = new ApiGwHttpApi(this, 'Api', { description: 'Tollgate HTTP API (CryptoCloud v2 compatible)' });
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.RETAIN });
    const stage = this.api.defaultStage?.node.defaultChild as CfnStage;
    stage.accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      format: JSON.stringify({
        requestId: '$context.requestId',
        ip: '$context.identity.sourceIp',
        routeKey: '$context.routeKey',
        status: '$context.status',
        latencyMs: '$context.responseLatency',
        integrationError: '$context.integrationErrorMessage',
      }),
    };
    stage.defaultRouteSettings = { throttlingRateLimit: THROTTLE_RATE_PER_SECOND, throttlingBurstLimit: THROTTLE_BURST };
    // A raw CloudFormation map (the property is untyped in CDK): its keys are CloudFormation's own.
    stage.routeSettings = Object.fromEntries(
      (Object.values(routes) as RouteSpec[]).flatMap((r) => (r.limit ? [[routeKey(r), { ThrottlingRateLimit: PUBLIC_THROTTLE[r.limit].rate, ThrottlingBurstLimit: PUBLIC_THROTTLE[r.limit].burst }]] : [])),
    );
    this.stage = stage;
  }

  private readonly stage: CfnStage;

  /**
   * A custom domain (the DomainName and CertificateArn parameters, when set): a regional API
   * Gateway domain name with the ACM certificate (same region as the stack), mapped to the
   * default stage. DNS stays the operator's: a CNAME (or a Route 53 alias) to its regional name.
   */
  addCustomDomain(domainName: string, certificateArn: string, condition: CfnCondition): CfnDomainName {
    const domain = new CfnDomainName(this, 'CustomDomain', {
      domainName,
      domainNameConfigurations: [{ certificateArn, endpointType: 'REGIONAL', securityPolicy: 'TLS_1_2' }],
    });
    domain.cfnOptions.condition = condition;
    const mapping = new CfnApiMapping(this, 'CustomDomainMapping', { apiId: this.api.apiId, domainName: domain.ref, stage: this.stage.ref });
    mapping.cfnOptions.condition = condition;
    return domain;
  }

  /** Wires every route of a group to that group's function. */
  mount(group: HttpGroup, fn: TollgateFunction): void {
    const integration = new HttpLambdaIntegration(`${group}Integration`, fn);
    for (const spec of Object.values(routes) as RouteSpec[]) {
      if (spec.group !== group) continue;
      // A stage's per-route settings name routes that must exist first.
      for (const route of this.api.addRoutes({ path: spec.path, methods: [HttpMethod[spec.method]], integration })) this.stage.addResourceDependency(route.node.defaultChild as CfnRoute);
    }
  }
}
