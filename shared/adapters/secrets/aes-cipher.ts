/** AES-256-GCM for project secrets at rest. The 32-byte key comes from a SecretSource. */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretCipher } from '../../ports';

const VERSION = 'v1';

export class AesGcmCipher implements SecretCipher {
  constructor(private readonly key: () => Promise<string>) {}

  private async keyBytes(): Promise<Buffer> {
    const bytes = Buffer.from(await this.key(), 'base64');
    if (bytes.length !== 32) throw new Error('project secrets key must be 32 bytes, base64-encoded');
    return bytes;
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
