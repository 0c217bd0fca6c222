import { describe, expect, it } from 'vitest';
import { classifyAddress, notificationUrlProblem, parseIpv6, refusedAddress } from '../../shared/domain/network';
import { POSTBACK_RETRY, parseSignatureHeader, retryDelaySeconds, retrySchedule, signatureHeader } from '../../shared/domain/postbacks';

const strict = { allowLoopback: false };
const local = { allowLoopback: true };

describe('address classes (SSRF policy)', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.1.2', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link_local'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['fc00::1', 'unique_local'],
    ['fd12:3456::1', 'unique_local'],
    ['fe80::1', 'link_local'],
    ['fe80::1%eth0', 'link_local'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'link_local'],
    ['::ffff:a9fe:a9fe', 'link_local'],
    ['::10.0.0.1', 'private'],
    ['64:ff9b::10.0.0.1', 'private'],
    // IPv4-translated (RFC 2765), judged by the IPv4 address inside.
    ['::ffff:0:127.0.0.1', 'loopback'],
    ['::ffff:0:7f00:1', 'loopback'],
    ['::ffff:0:169.254.169.254', 'link_local'],
    ['::ffff:0:a00:1', 'private'],
    ['::ffff:0:8.8.8.8', 'public'],
    // Local-use NAT64 (RFC 8215): refused whatever the prefix length puts inside.
    ['64:ff9b:1::10.0.0.1', 'reserved'],
    ['64:ff9b:1::8.8.8.8', 'reserved'],
    ['64:ff9b:1:a9fe:a9:fe00::', 'reserved'],
    ['64:ff9b:1:ffff:ffff:ffff:ffff:ffff', 'reserved'],
    ['64:ff9b:2::1', 'public'],
    ['2002:c0a8:0101::1', 'private'],
    ['8.8.8.8', 'public'],
    ['172.32.0.1', 'public'],
    ['100.128.0.1', 'public'],
    ['2606:4700::1111', 'public'],
    ['::ffff:8.8.8.8', 'public'],
  ])('%s is %s', (address, cls) => {
    expect(classifyAddress(address)).toBe(cls);
  });

  it('parses IPv6 forms and refuses malformed ones', () => {
    expect(parseIpv6('1:2:3:4:5:6:7:8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(parseIpv6('[::1]')).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(parseIpv6('1::')).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    for (const bad of ['1:2:3', '1::2::3', '12345::', 'g::1', '1:2:3:4:5:6:7:8:9', '::1.2.3']) expect(parseIpv6(bad), bad).toBeNull();
    expect(classifyAddress('example.com')).toBeNull();
    expect(classifyAddress('01.2.3.4')).toBeNull();
  });

  it('refuses IPv4-translated and local-use NAT64 targets in notification URLs', () => {
    for (const host of ['[::ffff:0:169.254.169.254]', '[::ffff:0:10.0.0.1]', '[64:ff9b:1::8.8.8.8]', '[64:ff9b:1::a9fe:a9fe]']) {
      expect(notificationUrlProblem(`http://${host}/cb`, local), host).toMatch(/non-public/);
    }
    expect(refusedAddress('::ffff:0:127.0.0.1', strict)).toMatch(/loopback/);
    expect(refusedAddress('64:ff9b:1::8.8.8.8', local)).toMatch(/reserved/);
  });

  it('loopback is allowed only by the explicit local setting; private stays refused', () => {
    expect(refusedAddress('127.0.0.1', strict)).toMatch(/loopback/);
    expect(refusedAddress('127.0.0.1', local)).toBeNull();
    expect(refusedAddress('::1', local)).toBeNull();
    expect(refusedAddress('10.0.0.1', local)).toMatch(/private/);
    expect(refusedAddress('169.254.169.254', local)).toMatch(/link-local/);
  });
});

describe('notification URLs', () => {
  it.each([
    ['ftp://shop.example/cb', /http or https/],
    ['file:///etc/passwd', /http or https/],
    ['https://user:pw@shop.example/cb', /credentials/],
    ['http://localhost:3000/cb', /localhost/],
    ['http://api.localhost/cb', /localhost/],
    ['http://127.0.0.1/cb', /loopback/],
    ['http://2130706433/cb', /loopback/],
    ['http://0x7f.1/cb', /loopback/],
    ['http://[::1]/cb', /loopback/],
    ['http://[::ffff:127.0.0.1]/cb', /loopback/],
    ['http://169.254.169.254/latest/meta-data', /link-local/],
    ['http://[fd00::1]/cb', /unique-local/],
    ['http://10.0.0.5/cb', /private/],
    ['not a url', /not a URL/],
  ])('%s is refused', (url, reason) => {
    expect(notificationUrlProblem(url, strict)).toMatch(reason);
  });

  it('public names and addresses may be tried (their DNS answers are checked at send time)', () => {
    expect(notificationUrlProblem('https://shop.example/cryptocloud/callback?x=1', strict)).toBeNull();
    expect(notificationUrlProblem('http://8.8.8.8/cb', strict)).toBeNull();
    expect(notificationUrlProblem('http://127.0.0.1:3000/cb', local)).toBeNull();
    expect(notificationUrlProblem('http://localhost:3000/cb', local)).toBeNull();
  });
});

describe('retry schedule', () => {
  it('is 16 attempts over about three days, doubling from a minute up to 12 hours', () => {
    const delays = retrySchedule(POSTBACK_RETRY);
    expect(delays.length + 1).toBe(16);
    expect(delays.slice(0, 4)).toEqual([60, 120, 240, 480]);
    expect(Math.max(...delays)).toBe(12 * 3600);
    const total = delays.reduce((a, b) => a + b, 0) / 3600;
    expect(total).toBeGreaterThan(60);
    expect(total).toBeLessThan(84);
  });

  it('jitter stays within ±20 % and under the SQS cap', () => {
    for (const attempt of [1, 5, 15]) {
      const base = retrySchedule(POSTBACK_RETRY)[attempt - 1];
      expect(retryDelaySeconds(attempt, POSTBACK_RETRY, 0)).toBe(Math.min(43_200, Math.round(base * 0.8)));
      expect(retryDelaySeconds(attempt, POSTBACK_RETRY, 0.999)).toBeLessThanOrEqual(Math.min(43_200, Math.round(base * 1.2)));
    }
  });
});

describe('signature header', () => {
  it('round-trips one or two signatures and refuses junk', () => {
    expect(parseSignatureHeader(signatureHeader(1700000000, ['aa', 'bb']))).toEqual({ t: 1700000000, signatures: ['aa', 'bb'] });
    expect(parseSignatureHeader('t=x,v1=aa')).toBeNull();
    expect(parseSignatureHeader('t=1')).toBeNull();
  });
});
