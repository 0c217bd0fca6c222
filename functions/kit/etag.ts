import { createHash } from 'node:crypto';

/**
 * A validator of a body: the same content, the same tag. Weak (`W/`), because the same content goes
 * out gzipped or plain (functions/kit/http.ts), and a strong tag would name the bytes.
 */
export const etagOf = (body: string): string => `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
