/**
 * AES-256-GCM for project secrets at rest. The key is sha256 of a secret string from a
 * SecretSource, so a Secrets Manager generated password works as well as random bytes.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { SecretCipher } from '../../ports';

const VERSION = 'v1';

export class AesGcmCipher implements SecretCipher {
  constructor(private readonly key: () => Promise<string>) {}

  private async keyBytes(): Promise<Buffer> {
    const secret = await this.key();
    if (secret.length < 32) throw new Error('the project secrets key must be at least 32 characters');
    return createHash('sha256').update(secret).digest();
  }

  async encrypt(plain: string): Promise<string> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', await this.keyBytes(), iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  async decrypt(sealed: string): Promise<string> {
    const [version, iv, body, tag] = sealed.split('.');
    if (version !== VERSION || !iv || !body || !tag) throw new Error('sealed secret has an unknown format');
    const decipher = createDecipheriv('aes-256-gcm', await this.keyBytes(), Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}
