/** CDK entry: one stack, checked by cdk-nag's AwsSolutions pack on every synth. */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { TollgateStack } from './infra/tollgate-stack';

export function buildApp(app: App = new App()) {
  const stack = new TollgateStack(app, app.node.tryGetContext('stackName') ?? 'Tollgate', {
    description: 'Tollgate: self-hosted, CryptoCloud-compatible crypto payment gateway',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

if (process.argv[1]?.endsWith('app.ts')) buildApp().app.synth();
