/**
 * Secrets read at run time, never passed through the environment on AWS: a Secrets Manager ARN
 * there, a literal value locally. Values are cached for a while (rotation takes effect within
 * `maxAgeMs`).
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export type SecretRef = { kind: 'literal'; value: string } | { kind: 'aws'; arn: string };

export class SecretSource {
  private readonly cache = new Map<string, { value: string; until: number }>();
  private client: SecretsManagerClient | null = null;

  constructor(
    private readonly region: string,
    private readonly maxAgeMs = 5 * 60_000,
  ) {}

  async read(ref: SecretRef): Promise<string> {
    if (ref.kind === 'literal') return ref.value;
    const hit = this.cache.get(ref.arn);
    if (hit && hit.until > Date.now()) return hit.value;
    this.client ??= new SecretsManagerClient({ region: this.region });
    const out = await this.client.send(new GetSecretValueCommand({ SecretId: ref.arn }));
    if (!out.SecretString) throw new Error(`secret ${ref.arn} has no string value`);
    this.cache.set(ref.arn, { value: out.SecretString, until: Date.now() + this.maxAgeMs });
    return out.SecretString;
  }
}
