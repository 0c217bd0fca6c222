import { describe, expect, it } from 'vitest';
import { applySettingsPatch, defaultSettings, PARTIAL_TOLERANCE_PERCENT_MAX, parseTolerance } from '../../shared/domain/project';

describe('project settings', () => {
  it('start with sensible defaults: test mode on, 24 h lifetime, form postbacks, all build currencies', () => {
    const s = defaultSettings('Shop');
    expect(s).toMatchObject({ testMode: true, invoiceLifetimeMinutes: 1440, postbackFormat: 'form', partialTolerance: { kind: 'none' }, locale: 'en' });
    expect(s.enabledCurrencies).toContain('USDT_ERC20');
  });

  it('apply a valid patch and report every invalid field', () => {
    const ok = applySettingsPatch(defaultSettings('S'), { notificationUrl: 'https://shop.test/cb', postbackFormat: 'json', partialTolerance: '2%', sideCommission: 'client', testMode: false });
    expect(ok.ok && ok.value).toMatchObject({ notificationUrl: 'https://shop.test/cb', postbackFormat: 'json', partialTolerance: { kind: 'percent' }, sideCommission: 'client', testMode: false });
    const bad = applySettingsPatch(defaultSettings('S'), { notificationUrl: 'ftp://x', postbackFormat: 'xml', invoiceLifetimeMinutes: 1, enabledCurrencies: ['XRP'], serviceFeePercent: '101' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.map((e) => e.field).sort()).toEqual(['enabledCurrencies', 'invoiceLifetimeMinutes', 'notificationUrl', 'postbackFormat', 'serviceFeePercent']);
  });

  it.each(['http://shop:99999/ok', 'http://[::1', 'http://%zz', 'javascript:alert(1)', 'https://a b'])('refuses the URL %s', (url) => {
    expect(applySettingsPatch(defaultSettings('S'), { successUrl: url }).ok).toBe(false);
  });

  it.each([
    ['none', { kind: 'none' }],
    ['1.5usd', { kind: 'usd', value: { units: 15n, scale: 1 } }],
    ['$1', { kind: 'usd', value: { units: 1n, scale: 0 } }],
    ['2%', { kind: 'percent', value: { units: 2n, scale: 0 } }],
    ['150%', null],
    ['lots', null],
  ])('tolerance %s', (text, expected) => {
    expect(parseTolerance(text)).toEqual(expected);
  });
});

describe('partial tolerance limit', () => {
  it.each(['10%', '9.99%', '0.5%', '100usd'])('accepts %s', (text) => {
    expect(applySettingsPatch(defaultSettings('S'), { partialTolerance: text }).ok).toBe(true);
  });

  it.each(['10.01%', '11%', '50%', '100%'])('refuses %s with a clear error', (text) => {
    const out = applySettingsPatch(defaultSettings('S'), { partialTolerance: text });
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.error).toEqual([{ field: 'partialTolerance', message: expect.stringContaining(`at most ${PARTIAL_TOLERANCE_PERCENT_MAX}%`) }]);
  });
});

describe('notification URL and the SSRF policy', () => {
  it('refuses internal targets when set, and allows loopback only under the local setting', () => {
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://10.0.0.1/cb', 'http://localhost:8080/cb', 'http://[::1]/cb', 'https://user:pw@shop.test/cb']) {
      const out = applySettingsPatch(defaultSettings('S'), { notificationUrl: url });
      expect(out.ok, url).toBe(false);
      if (!out.ok) expect(out.error[0]).toMatchObject({ field: 'notificationUrl', message: expect.stringMatching(/^notificationUrl /) });
    }
    const local = applySettingsPatch(defaultSettings('S'), { notificationUrl: 'http://127.0.0.1:3000/demo' }, { allowLoopback: true });
    expect(local.ok).toBe(true);
    expect(applySettingsPatch(defaultSettings('S'), { notificationUrl: 'http://10.0.0.1/cb' }, { allowLoopback: true }).ok).toBe(false);
    // Other settings can still change on a project whose URL was set under the local setting.
    const kept = applySettingsPatch({ ...defaultSettings('S'), notificationUrl: 'http://127.0.0.1:3000/demo' }, { testMode: false });
    expect(kept.ok).toBe(true);
  });
});

