/**
 * The local-only network overrides cannot be switched on in a deployed function: spellings other
 * than true/false fail loudly at boot (never read as on or silently as off), and inside Lambda
 * neither override is accepted: loopback there is the Lambda Runtime API (127.0.0.1:9001) and
 * extensions' ports, which a merchant's notification URL must never reach.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config';

const base = { TABLE_NAME: 'tollgate' };
const lambda = { ...base, AWS_LAMBDA_FUNCTION_NAME: 'tollgate-postbacks' };

describe('postback network overrides', () => {
  it('only the exact words true and false are understood', () => {
    for (const v of ['1', 'yes', 'TRUE', 'True', ' true', 'on', '']) {
      expect(() => loadConfig({ ...base, POSTBACK_ALLOW_PRIVATE: v }), `POSTBACK_ALLOW_PRIVATE=${JSON.stringify(v)}`).toThrow();
      expect(() => loadConfig({ ...base, POSTBACK_ALLOW_LOOPBACK: v }), `POSTBACK_ALLOW_LOOPBACK=${JSON.stringify(v)}`).toThrow();
    }
    expect(loadConfig(base)).toMatchObject({ POSTBACK_ALLOW_PRIVATE: false, POSTBACK_ALLOW_LOOPBACK: false });
  });

  it('a deployed function refuses the private and the loopback override at boot; the local runtime keeps both', () => {
    expect(() => loadConfig({ ...lambda, POSTBACK_ALLOW_PRIVATE: 'true' })).toThrow(/local-runtime override only/);
    expect(() => loadConfig({ ...lambda, POSTBACK_ALLOW_LOOPBACK: 'true' })).toThrow(/local-runtime override only/);
    expect(loadConfig({ ...lambda, POSTBACK_ALLOW_LOOPBACK: 'false' }).POSTBACK_ALLOW_LOOPBACK).toBe(false);
    expect(loadConfig({ ...base, POSTBACK_ALLOW_LOOPBACK: 'true', POSTBACK_ALLOW_PRIVATE: 'true' })).toMatchObject({ POSTBACK_ALLOW_LOOPBACK: true, POSTBACK_ALLOW_PRIVATE: true });
  });
});
