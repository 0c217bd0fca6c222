/** Every cdk-nag acknowledgement of the stack, each with the reason a reviewer can check. */
import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';

export function applyNagAcknowledgements(stack: Stack, refs: { secrets: Secret[]; workflows: { machine: StateMachine; worker: IFunction }[] }): void {
  const stackWide = Validations.of(stack);
  stackWide.acknowledge({
    id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: 'AWSLambdaBasicExecutionRole only allows writing the function’s own CloudWatch logs; CDK attaches it to every Lambda role.',
  });
  stackWide.acknowledge({
    id: 'AwsSolutions::AwsSolutions-APIG4',
    reason: 'CryptoCloud clients authenticate with "Authorization: Token <API key>", verified against hashed keys in the handler; an API Gateway authorizer cannot read that scheme without breaking drop-in compatibility.',
  });
  stackWide.acknowledge({
    id: 'AwsSolutions::AwsSolutions-SQS3',
    reason: 'These are the dead-letter queues themselves.',
  });
  stackWide.acknowledge({
    id: 'AwsSolutions::AwsSolutions-L1',
    reason: 'Pinned to nodejs22.x on purpose: the code is tested on that runtime line; moving to a newer one is a reviewed change.',
  });
  stackWide.acknowledge({
    id: 'CloudFormation-Validate::W2509',
    reason:
      'MnemonicSecretArn holds the ARN of the mnemonic\'s secret, not the mnemonic: it is no secret, and NoEcho would only hide from `describe-stacks` which secret the workers read. The secret values are RpcUrlsJson (NoEcho) and the secrets themselves.',
  });
  stackWide.acknowledge({
    id: 'CloudFormation-Validate::W1001',
    reason:
      'The table is conditional (ExistingTableName, README "Backup and restore"): the TableName output and the grants name it only inside Fn::If on its own condition, which this check does not follow for outputs. test/infra/restore.test.ts checks every reference to a conditional resource instead.',
  });
  for (const { machine, worker } of refs.workflows) {
    const role = Validations.of(machine.role);
    role.acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only actions that take no resource ARN: CloudWatch Logs delivery (logs:CreateLogDelivery, GetLogDelivery, UpdateLogDelivery, DeleteLogDelivery, ListLogDeliveries, PutResourcePolicy, DescribeResourcePolicies, DescribeLogGroups) and X-Ray (xray:PutTraceSegments, PutTelemetryRecords, GetSamplingRules, GetSamplingTargets), which the logging and tracing that cdk-nag SF1/SF2 ask for need.',
    });
    const workerId = Stack.of(worker).getLogicalId(worker.node.defaultChild as CfnElement);
    role.acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${workerId}.Arn>:*]`,
      reason: 'lambda:InvokeFunction on the workflow\'s own worker and its versions/aliases (CDK\'s grantInvoke); no other function.',
    });
  }
  for (const secret of refs.secrets) {
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SMG4',
      reason:
        'Rotating this secret is a documented manual procedure, not a rotation Lambda: the project key needs a re-encryption, the admin token a CLI re-login, the RPC URLs a new key at the provider (RPC or TronGrid) and a redeploy with RpcUrlsJson.',
    });
  }
}
