import { describe, expect, it } from 'vitest';
import { makeLogger, prettyLine, REDACTED, TOO_DEEP } from '../../shared/log';

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

describe('pretty format (npm start)', () => {
  const at = new Date(2026, 0, 2, 9, 5, 7);
  const pretty = (level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown>) => prettyLine(level, msg, fields, at);
  const invoiceId = 'INV-ABCD1234';
  const transfer = `ethereum#0x${'ab'.repeat(31)}cdef#3`;

  it('writes one readable line per event that matters, stamped with the local time', () => {
    expect(pretty('info', 'invoice.created', { invoiceId, amount: '25.00', fiat: 'EUR', currency: null, link: 'http://localhost:8080/pay/ABCD1234' })).toBe(
      '09:05:07  invoice INV-ABCD1234 created: 25.00 EUR  http://localhost:8080/pay/ABCD1234',
    );
    expect(pretty('info', 'payment.seen', { invoiceId, transfer, code: 'USDT_ERC20', amount: '12500000', state: 'pending' })).toBe(
      '09:05:07  payment seen for INV-ABCD1234: 12.5 USDT_ERC20, tx 0xabab…cdef (pending)',
    );
    // Tron's transfer keys carry bare 64-hex ids.
    expect(pretty('info', 'payment.seen', { invoiceId, transfer: `tron#${'12'.repeat(30)}cdef#native`, code: 'TRX', amount: '2500000', state: 'pending' })).toBe(
      '09:05:07  payment seen for INV-ABCD1234: 2.5 TRX, tx 121212…cdef (pending)',
    );
    expect(pretty('info', 'payment.credited', { invoiceId, transfer, code: 'ETH', amount: '1500000000000000000', status: 'paid' })).toBe(
      '09:05:07  credited 1.5 ETH to INV-ABCD1234, invoice now paid',
    );
    expect(pretty('info', 'invoice.transition', { invoiceId, from: 'created', to: 'partial' })).toBe('09:05:07  invoice INV-ABCD1234 partial');
    expect(pretty('info', 'invoice.transition', { invoiceId, from: 'created', to: 'canceled', reason: 'expired' })).toBe('09:05:07  invoice INV-ABCD1234 expired');
    expect(pretty('info', 'postback.delivered', { invoiceId, target: 'https://shop.example/cb', httpStatus: 200, attempt: 1 })).toBe(
      '09:05:07  postback for INV-ABCD1234 delivered to shop.example: HTTP 200, attempt 1',
    );
    expect(pretty('warn', 'postback.failed', { invoiceId, target: 'http://127.0.0.1:9/x', reason: 'timeout', attempt: 2, retryInSeconds: 60 })).toBe(
      '09:05:07  WARN  postback for INV-ABCD1234 to 127.0.0.1:9 failed: timeout, attempt 2, next in 60s',
    );
  });

  it('hides every other info line, and shows other warnings and errors in brief', () => {
    expect(pretty('info', 'watcher.lag', { chain: 'ethereum', _aws: {} })).toBeNull();
    expect(pretty('info', 'request', { status: 200, ms: 3 })).toBeNull();
    const fault = pretty('error', 'request.fault', { service: 'tollgate-local', function: 'local', requestId: 'r1', error: 'boom', stack: 'Error: boom\n    at x' });
    expect(fault).toBe('09:05:07  ERROR request.fault  error=boom');
    expect(pretty('warn', 'rates.unavailable', { symbol: 'EUR', note: 'x'.repeat(500) })?.length).toBeLessThanOrEqual(320);
  });

  it('is chosen per logger, redacts like JSON, and still drops lines below the level', () => {
    const lines: string[] = [];
    const log = makeLogger({ service: 't' }, 'info', (l) => lines.push(l), 'pretty').child({ invoiceId });
    log.info('watcher.lag', {});
    log.debug('invoice.created', {});
    log.warn('odd', { token: 'leak', count: 2 });
    expect(lines).toEqual([expect.stringMatching(/^\d\d:\d\d:\d\d {2}WARN {2}odd {2}invoiceId=INV-ABCD1234 {2}token=\[redacted\] {2}count=2$/)]);
  });
});
