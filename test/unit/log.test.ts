import { describe, expect, it } from 'vitest';
import { makeLogger, REDACTED } from '../../shared/log';

describe('logger', () => {
  it('never writes secrets, however deep', () => {
    const lines: string[] = [];
    const log = makeLogger({ service: 't' }, 'info', (l) => lines.push(l));
    log.info('x', { authorization: 'Token abc', nested: { secret_key: 's', apiKey: 'k', list: [{ mnemonic: 'm' }] }, amount: 5n });
    const parsed = JSON.parse(lines[0]);
    expect(parsed.authorization).toBe(REDACTED);
    expect(parsed.nested).toEqual({ secret_key: REDACTED, apiKey: REDACTED, list: [{ mnemonic: REDACTED }] });
    expect(parsed.amount).toBe('5');
    expect(lines[0]).not.toMatch(/Token abc|"s"|"k"|"m"/);
  });

  it('drops lines below its level', () => {
    const lines: string[] = [];
    makeLogger({}, 'warn', (l) => lines.push(l)).info('quiet');
    expect(lines).toEqual([]);
  });
});
