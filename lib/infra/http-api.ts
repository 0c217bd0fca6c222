/** The HTTP API (API Gateway v2): one Lambda per route group, routes from the manifest. */
import { RemovalPolicy } from 'aws-cdk-lib';
import { type CfnStage, HttpApi as ApiGwHttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type HttpGroup, type RouteSpec, routes } from '../manifest';
import type { TollgateFunction } from './tollgate-function';

/** Stage-wide throttle: generous for a shop, a ceiling for abuse. */
const THROTTLE_RATE_PER_SECOND = 200;
const THROTTLE_BURST = 400;

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
  }

  /** Wires every route of a group to that group's function. */
  mount(group: HttpGroup, fn: TollgateFunction): void {
    const integration = new HttpLambdaIntegration(`${group}Integration`, fn);
    for (const spec of Object.values(routes) as RouteSpec[]) {
      if (spec.group !== group) continue;
      this.api.addRoutes({ path: spec.path, methods: [HttpMethod[spec.method]], integration });
    }
  }
}
