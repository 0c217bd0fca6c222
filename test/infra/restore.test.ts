/**
 * Deploy options of the stack (README "Deploy"): running on an existing (restored) table, a custom
 * domain with its certificate, the outputs an operator copies, and what teardown keeps.
 *
 * Parameters are one template for every value, so each option is checked by resolving the
 * template's conditions both ways: the references CloudFormation will really make.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Resource = { Type: string; Condition?: string; DeletionPolicy?: string; Properties?: Record<string, Json> };
type Cfn = { Resources: Record<string, Resource>; Outputs: Record<string, { Value: Json; Condition?: string }>; Conditions: Record<string, Json>; Parameters: Record<string, { Default?: string }>; Rules?: Record<string, Json> };

let cfn: Cfn;
beforeAll(() => {
  cfn = Template.fromStack(buildApp(new App({ context: { 'aws:cdk:bundling-stacks': [] } })).stack).toJSON() as Cfn;
});

/** Evaluates the conditions' intrinsics for these parameter values (Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition). */
function conditionsFor(parameters: Record<string, string>): Record<string, boolean> {
  const value = (p: string) => parameters[p] ?? cfn.Parameters[p]?.Default ?? `<${p}>`;
  const memo: Record<string, boolean> = {};
  const evaluate = (e: Json): boolean | string => {
    if (typeof e === 'string') return e;
    const o = e as Record<string, Json>;
    if ('Ref' in o) return value(o.Ref as string);
    if ('Condition' in o) return condition(o.Condition as string);
    if ('Fn::Equals' in o) return evaluate((o['Fn::Equals'] as Json[])[0]) === evaluate((o['Fn::Equals'] as Json[])[1]);
    if ('Fn::Not' in o) return !evaluate((o['Fn::Not'] as Json[])[0]);
    if ('Fn::And' in o) return (o['Fn::And'] as Json[]).every((x) => evaluate(x) === true);
    if ('Fn::Or' in o) return (o['Fn::Or'] as Json[]).some((x) => evaluate(x) === true);
    throw new Error(`condition intrinsic not handled: ${JSON.stringify(e)}`);
  };
  const condition = (name: string): boolean => {
    memo[name] ??= evaluate(cfn.Conditions[name]) === true;
    return memo[name];
  };
  for (const name of Object.keys(cfn.Conditions)) condition(name);
  return memo;
}

/** A value with every Fn::If and the given parameters resolved (what CloudFormation deploys), or undefined for AWS::NoValue. */
function resolveIfs(e: Json, conditions: Record<string, boolean>, parameters: Record<string, string>): Json | undefined {
  if (Array.isArray(e)) return e.flatMap((x) => {
    const r = resolveIfs(x, conditions, parameters);
    return r === undefined ? [] : [r];
  });
  if (e === null || typeof e !== 'object') return e;
  if ('Fn::If' in e) {
    const [name, yes, no] = e['Fn::If'] as [string, Json, Json];
    return resolveIfs(conditions[name] ? yes : no, conditions, parameters);
  }
  const ref = (e as { Ref?: string }).Ref;
  if (ref === 'AWS::NoValue') return undefined;
  if (ref !== undefined && Object.hasOwn(parameters, ref)) return parameters[ref];
  return Object.fromEntries(Object.entries(e).flatMap(([k, v]) => {
    const r = resolveIfs(v, conditions, parameters);
    return r === undefined ? [] : [[k, r]];
  }));
}

/** The resources and outputs that exist for these parameters, their Fn::Ifs resolved. */
function deployed(parameters: Record<string, string>) {
  const conditions = conditionsFor(parameters);
  const exists = (c?: string) => c === undefined || conditions[c];
  const resources = Object.fromEntries(Object.entries(cfn.Resources).filter(([, r]) => exists(r.Condition)).map(([id, r]) => [id, resolveIfs(r as unknown as Json, conditions, parameters) as unknown as Resource]));
  const outputs = Object.fromEntries(Object.entries(cfn.Outputs).filter(([, o]) => exists(o.Condition)).map(([id, o]) => [id, resolveIfs(o.Value, conditions, parameters)]));
  return { conditions, resources, outputs };
}

/** Every Ref/GetAtt target in a value. */
const targets = (e: unknown): string[] => {
  const found = JSON.stringify(e).matchAll(/\{"Ref":"([^"]+)"\}|\{"Fn::GetAtt":\["([^"]+)"/g);
  return [...found].map((m) => m[1] ?? m[2]);
};

/** A resolved value as one string: Fn::Join flattened, a Ref as <Name>. */
const text = (e: Json): string => {
  if (typeof e === 'string') return e;
  const o = e as Record<string, Json>;
  if (o && 'Ref' in o) return `<${o.Ref as string}>`;
  if (o && 'Fn::Join' in o) {
    const [sep, parts] = o['Fn::Join'] as [string, Json[]];
    return parts.map(text).join(sep);
  }
  return JSON.stringify(e);
};

const tableId = () => {
  const ids = Object.entries(cfn.Resources).filter(([, r]) => r.Type === 'AWS::DynamoDB::Table').map(([id]) => id);
  expect(ids).toHaveLength(1);
  return ids[0];
};
/** The table resources of every function's DynamoDB statements (index ARNs included). */
const tableGrants = (resources: Record<string, Resource>) =>
  Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy')
    .flatMap((p) => (p.Properties as unknown as { PolicyDocument: { Statement: { Action: string | string[]; Resource: Json; Condition?: Json }[] } }).PolicyDocument.Statement)
    .filter((s) => [s.Action].flat().some((a) => a.startsWith('dynamodb:')));

describe('a restored table (ExistingTableName)', () => {
  it('never references a resource that its parameters leave out (each reference is guarded by the same condition)', () => {
    for (const parameters of [{}, { ExistingTableName: 'tollgate-restored' }, { DomainName: 'pay.example.com', CertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' }] as Record<string, string>[]) {
      const { resources, outputs } = deployed(parameters);
      const present = new Set([...Object.keys(resources), ...Object.keys(cfn.Parameters), 'AWS::Region', 'AWS::Partition', 'AWS::AccountId', 'AWS::URLSuffix', 'AWS::StackName', 'AWS::StackId', 'AWS::NoValue']);
      for (const [id, r] of Object.entries(resources)) for (const t of targets(r)) expect(present.has(t), `${id} → ${t} with ${JSON.stringify(parameters)}`).toBe(true);
      for (const [id, o] of Object.entries(outputs)) for (const t of targets(o)) expect(present.has(t), `output ${id} → ${t}`).toBe(true);
    }
  });

  it('by default creates its own table, and every grant names that table', () => {
    const { resources, outputs } = deployed({});
    expect(resources[tableId()]).toBeDefined();
    expect(outputs.TableName).toEqual({ Ref: tableId() });
    for (const s of tableGrants(resources)) expect(targets(s.Resource), JSON.stringify(s.Resource)).toContain(tableId());
  });

  it('with ExistingTableName, creates no table and scopes every grant to that table\'s ARN, still per key prefix', () => {
    const { resources, outputs } = deployed({ ExistingTableName: 'tollgate-restored' });
    expect(resources[tableId()]).toBeUndefined();
    expect(Object.values(resources).filter((r) => r.Type === 'AWS::DynamoDB::Table')).toEqual([]);
    expect(outputs.TableName).toBe('tollgate-restored');
    const grants = tableGrants(resources);
    expect(grants.length).toBeGreaterThan(10);
    const arn = 'arn:<AWS::Partition>:dynamodb:<AWS::Region>:<AWS::AccountId>:table/tollgate-restored';
    for (const s of grants) {
      // The table's ARN, or one of its indexes: never a wildcard, never another table.
      for (const r of [s.Resource].flat()) expect(text(r)).toMatch(new RegExp(`^${arn.replace(/[.]/g, '\\$&')}(/index/\\w+)?$`));
      if (text(s.Resource) === arn) expect((s.Condition as Record<string, Record<string, string[]>>)['ForAllValues:StringLike']['dynamodb:LeadingKeys'].length).toBeGreaterThan(0);
    }
    // The functions are told the restored table's name.
    const names = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function').flatMap((f) => {
      const env = (f.Properties?.Environment as { Variables?: Record<string, Json> } | undefined)?.Variables ?? {};
      return 'TABLE_NAME' in env ? [env.TABLE_NAME] : [];
    });
    expect(names.length).toBeGreaterThan(5);
    expect(new Set(names)).toEqual(new Set(['tollgate-restored']));
  });

  it('keeps the stack\'s own table when it leaves the stack or the stack is deleted (Retain, deletion protection, PITR)', () => {
    const table = cfn.Resources[tableId()];
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.Properties?.DeletionProtectionEnabled).toBe(true);
    expect(table.Properties?.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
  });
});

describe('teardown', () => {
  it('retains the table, every log group and the key of the table\'s project secrets; deletes the rest', () => {
    const retained = Object.entries(cfn.Resources).filter(([, r]) => r.DeletionPolicy === 'Retain');
    const types = [...new Set(retained.map(([, r]) => r.Type))].sort();
    expect(types).toEqual(['AWS::DynamoDB::Table', 'AWS::Logs::LogGroup', 'AWS::SecretsManager::Secret']);
    expect(retained.filter(([, r]) => r.Type === 'AWS::SecretsManager::Secret').map(([id]) => id)).toEqual([expect.stringMatching(/^ProjectSecretsKey/)]);
    expect(Object.values(cfn.Resources).filter((r) => r.Type === 'AWS::Logs::LogGroup').every((r) => r.DeletionPolicy === 'Retain')).toBe(true);
    expect(Object.values(cfn.Resources).filter((r) => r.Type === 'AWS::SQS::Queue').every((r) => r.DeletionPolicy !== 'Retain')).toBe(true);
  });
});

describe('a custom domain (DomainName, CertificateArn)', () => {
  const withDomain = { DomainName: 'pay.example.com', CertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0f0e0d0c-1111-2222-3333-444455556666' };

  it('without it: no domain resources, links on the API Gateway URL', () => {
    const { resources, outputs } = deployed({});
    expect(Object.values(resources).filter((r) => r.Type.startsWith('AWS::ApiGatewayV2::DomainName') || r.Type === 'AWS::ApiGatewayV2::ApiMapping')).toEqual([]);
    expect(outputs.CustomDomainTarget).toBeUndefined();
    const apiId = Object.entries(resources).find(([, r]) => r.Type === 'AWS::ApiGatewayV2::Api')?.[0];
    expect(outputs.PublicUrl).toEqual({ 'Fn::GetAtt': [apiId, 'ApiEndpoint'] });
  });

  it('with it: a regional domain with the certificate, mapped to the default stage; links and PublicUrl on https://DomainName; the DNS target as an output', () => {
    const { resources, outputs } = deployed(withDomain);
    const [domainId, domain] = Object.entries(resources).find(([, r]) => r.Type === 'AWS::ApiGatewayV2::DomainName') ?? [];
    expect(domain?.Properties).toEqual({
      DomainName: 'pay.example.com',
      DomainNameConfigurations: [{ CertificateArn: withDomain.CertificateArn, EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' }],
    });
    const mapping = Object.values(resources).find((r) => r.Type === 'AWS::ApiGatewayV2::ApiMapping');
    const stageId = Object.entries(resources).find(([, r]) => r.Type === 'AWS::ApiGatewayV2::Stage')?.[0];
    expect(mapping?.Properties).toEqual({ ApiId: expect.anything(), DomainName: { Ref: domainId }, Stage: { Ref: stageId } });
    expect(outputs.PublicUrl).toEqual({ 'Fn::Join': ['', ['https://', 'pay.example.com']] });
    expect(outputs.CustomDomainTarget).toEqual({ 'Fn::GetAtt': [domainId, 'RegionalDomainName'] });
    expect(outputs.CustomDomainHostedZoneId).toEqual({ 'Fn::GetAtt': [domainId, 'RegionalHostedZoneId'] });
    const links = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function').flatMap((f) => {
      const env = (f.Properties?.Environment as { Variables?: Record<string, Json> } | undefined)?.Variables ?? {};
      return 'PUBLIC_BASE_URL' in env ? [JSON.stringify(env.PUBLIC_BASE_URL)] : [];
    });
    expect(links.length).toBeGreaterThan(0);
    expect(new Set(links)).toEqual(new Set([JSON.stringify(outputs.PublicUrl)]));
  });

  it('PublicBaseUrl, when given, still wins over the domain', () => {
    expect(deployed({ ...withDomain, PublicBaseUrl: 'https://shop.example/pay' }).outputs.PublicUrl).toBe('https://shop.example/pay');
  });

  it('refuses a domain without a certificate at deploy time (a template rule), and malformed values (parameter patterns)', () => {
    expect(JSON.stringify(cfn.Rules?.DomainNeedsCertificate)).toContain('DomainName needs CertificateArn');
    const pattern = (p: string) => new RegExp((cfn.Parameters[p] as { AllowedPattern: string }).AllowedPattern);
    expect(pattern('DomainName').test('pay.example.com')).toBe(true);
    expect(pattern('DomainName').test('')).toBe(true);
    expect(pattern('DomainName').test('https://pay.example.com')).toBe(false);
    expect(pattern('CertificateArn').test(withDomain.CertificateArn)).toBe(true);
    expect(pattern('CertificateArn').test('arn:aws:iam::123456789012:server-certificate/x')).toBe(false);
    expect(pattern('ExistingTableName').test('Tollgate-StorageTable-restored-2024')).toBe(true);
    expect(pattern('ExistingTableName').test('arn:aws:dynamodb:eu-west-1:1:table/x')).toBe(false);
  });
});

describe('outputs an operator copies', () => {
  it('gives the admin token\'s secret ARN and the exact command that prints it (never the value)', () => {
    const { outputs } = deployed({});
    const adminToken = Object.entries(cfn.Resources).find(([id, r]) => r.Type === 'AWS::SecretsManager::Secret' && id.startsWith('AdminToken'))?.[0];
    expect(outputs.AdminTokenSecretArn).toEqual({ Ref: adminToken });
    expect(outputs.AdminTokenCommand).toEqual({ 'Fn::Join': ['', ['aws secretsmanager get-secret-value --region ', { Ref: 'AWS::Region' }, ' --secret-id ', { Ref: adminToken }, ' --query SecretString --output text']] });
    expect(JSON.stringify(cfn.Outputs)).not.toMatch(/SecretString"|resolve:secretsmanager/);
  });
});
