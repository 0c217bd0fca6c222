/** Postback signatures: the CryptoCloud JWT with jose, and the native HMAC header. */
import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import type { PostbackSigner } from '../../ports';

export const postbackSigner: PostbackSigner = {
  // The key is the secret's UTF-8 bytes, as CryptoCloud4j (jjwt) and php-jwt read it.
  token: (claims, secret) => new SignJWT({ id: claims.id }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setExpirationTime(claims.exp).sign(new TextEncoder().encode(secret)),
  hmacHex: (secret, payload) => createHmac('sha256', secret).update(payload).digest('hex'),
};
