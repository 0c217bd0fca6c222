import { describe, expect, it } from 'vitest';
import { makeLogger, REDACTED, TOO_DEEP } from '../../shared/log';

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

  it('replaces whatever lies below the depth limit, so no secret leaks through deep nesting', () => {
    const lines: string[] = [];
    const log = makeLogger({}, 'info', (l) => lines.push(l));
    // A secret at every depth from 1 to 20, in objects and in arrays.
    let deep: Record<string, unknown> = { token: 'leak-0' };
    for (let i = 1; i < 20; i += 1) deep = i % 3 === 0 ? { next: [deep], private_key: `leak-${i}` } : { next: deep, password: `leak-${i}` };
    log.info('deep', { deep });
    expect(lines[0]).not.toMatch(/leak-/);
    expect(lines[0]).toContain(TOO_DEEP);
    // Shallow fields are still written as they are.
    log.info('shallow', { a: { b: { c: 'kept' } } });
    expect(JSON.parse(lines[1]).a).toEqual({ b: { c: 'kept' } });
  });

  it('drops lines below its level', () => {
    const lines: string[] = [];
    makeLogger({}, 'warn', (l) => lines.push(l)).info('quiet');
    expect(lines).toEqual([]);
  });
});
