/**
 * The local runtime's documented override, TOLLGATE_POSTBACK_ALLOW_PRIVATE=1: postbacks may
 * reach a shop on the LAN or in a container (10/8, 172.16/12, 192.168/16, fc00::/7, and loopback),
 * and nothing else that is not public: never link-local (169.254/16, the cloud metadata
 * service), CGNAT, site-local or the rest. A real listener on this machine's own LAN address
 * (when it has one) stands in for the shop; names go through a resolver stand-in, exactly as the
 * SSRF test does, and are judged by every address they resolve to.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtime } from '../../functions/kit/deps';
import { localEnvironment } from '../../lib/local/dev-defaults';
import { GuardedTransport, type Resolver } from '../../shared/adapters/http/guarded-transport';
import { updateProject } from '../../shared/app/projects';
import { loadConfig } from '../../shared/config';
import { isLanAddress, type NetworkPolicy, notificationUrlProblem, refusedAddress } from '../../shared/domain/network';
import { newProject, useTestGateway } from '../support/gateway';

const STRICT: NetworkPolicy = { allowLoopback: false };
const LOCAL: NetworkPolicy = { allowLoopback: true };
const OVERRIDE: NetworkPolicy = { allowLoopback: true, allowPrivate: true };

describe('which addresses the override opens', () => {
  it.each(['10.0.0.7', '10.255.255.255', '172.16.0.1', '172.31.255.254', '192.168.1.20', 'fd00::2', 'fc00::1', '::ffff:192.168.0.10', '::ffff:10.1.2.3'])('%s: refused without it, allowed with it', (address) => {
    expect(isLanAddress(address)).toBe(true);
    expect(refusedAddress(address, LOCAL)).toMatch(/private|unique-local/);
    expect(refusedAddress(address, OVERRIDE)).toBeNull();
  });

  it.each([
    ['169.254.169.254', /link-local/], // the cloud metadata service
    ['::ffff:169.254.169.254', /link-local/],
    ['fe80::1', /link-local/],
    ['fd00:ec2::254', /unique-local/], // AWS's IPv6 instance metadata, inside fc00::/7
    ['fd20:ce::254', /unique-local/], // Google Cloud's IPv6 metadata server
    ['100.64.0.1', /cgnat/],
    ['fec0::1', /private/], // deprecated site-local: not in the override
    ['2002:c0a8:0001::1', /private/], // 6to4 carrying 192.168.0.1: routed elsewhere, not the LAN
    ['64:ff9b::a00:1', /private/], // NAT64 of 10.0.0.1
    ['0.0.0.0', /unspecified/],
    ['224.0.0.1', /multicast/],
    ['198.18.0.1', /reserved/],
  ])('%s stays refused with it', (address, reason) => {
    expect(isLanAddress(address)).toBe(false);
    expect(refusedAddress(address, OVERRIDE)).toMatch(reason);
  });

  it('loopback needs only the local runtime default; names like localhost follow it', () => {
    expect(refusedAddress('127.0.0.1', OVERRIDE)).toBeNull();
    expect(refusedAddress('127.0.0.1', STRICT)).toMatch(/loopback/);
    expect(notificationUrlProblem('http://192.168.1.20:8080/cb', OVERRIDE)).toBeNull();
    expect(notificationUrlProblem('http://192.168.1.20:8080/cb', LOCAL)).toMatch(/non-public address/);
    expect(notificationUrlProblem('http://169.254.169.254/latest/meta-data/', OVERRIDE)).toMatch(/link-local/);
  });
});

/** This machine's own LAN address, if it has one: the shop's listener binds it. */
const lanAddress = Object.values(networkInterfaces())
  .flatMap((list) => list ?? [])
  .find((a) => !a.internal && isLanAddress(a.address) && !(a.family === 'IPv6' && a.scopeid))?.address;

describe('delivery through the guarded transport', () => {
  let shop: Server;
  let received = 0;
  let connections = 0;
  let url = '';
  const hostOf = (address: string) => (address.includes(':') ? `[${address}]` : address);

  beforeAll(async () => {
    if (!lanAddress) return;
    shop = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received += 1;
        res.writeHead(200).end('ok');
      });
    });
    shop.on('connection', () => {
      connections += 1;
    });
    await new Promise<void>((ok) => shop.listen(0, lanAddress, () => ok()));
    url = `http://${hostOf(lanAddress)}:${(shop.address() as AddressInfo).port}/postback`;
  });
  afterAll(async () => {
    await new Promise<void>((ok) => (shop ? shop.close(() => ok()) : ok()));
  });

  const zone = (): Record<string, string[]> => ({
    'shop.lan.test': [lanAddress ?? '10.0.0.7'],
    'metadata.attacker.test': ['169.254.169.254'],
    'metadata6.attacker.test': ['fd00:ec2::254'],
    'mixed.attacker.test': [lanAddress ?? '10.0.0.7', '169.254.169.254'],
    'cgnat.attacker.test': ['100.64.0.9'],
  });
  const resolver: Resolver = async (host) => {
    const answer = zone()[host];
    if (!answer) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return answer;
  };
  const post = (policy: NetworkPolicy, target: string) => new GuardedTransport(policy, resolver).post({ url: target, body: 'status=success', headers: { 'content-type': 'application/x-www-form-urlencoded' }, timeoutMs: 2_000 });

  it.skipIf(!lanAddress)('a shop listening on a LAN address gets the postback with the override, and is refused without it (no connection made)', async () => {
    const before = connections;
    const refused = await post(LOCAL, url);
    expect(refused.kind).toBe('refused');
    expect(connections).toBe(before);
    const delivered = await post(OVERRIDE, url);
    expect(delivered).toMatchObject({ kind: 'answered', status: 200 });
    expect(received).toBe(1);
  });

  it.skipIf(!lanAddress)('a name resolving to the LAN address is judged by that address, like today’s guard', async () => {
    const port = new URL(url).port;
    const refused = await post(LOCAL, `http://shop.lan.test:${port}/postback`);
    expect(refused).toMatchObject({ kind: 'refused' });
    if (refused.kind === 'refused') expect(refused.reason).toMatch(/^shop\.lan\.test resolves to .+ is a (private|unique-local) address$/);
    expect(await post(OVERRIDE, `http://shop.lan.test:${port}/postback`)).toMatchObject({ kind: 'answered', status: 200 });
  });

  it('the metadata address, and names resolving to it (even beside a LAN address), stay refused with the override', async () => {
    const before = connections;
    for (const target of ['http://169.254.169.254/latest/meta-data/', 'http://metadata.attacker.test/latest/meta-data/', 'http://metadata6.attacker.test/latest/meta-data/', 'http://[fd00:ec2::254]/latest/meta-data/', 'http://mixed.attacker.test/cb', 'http://cgnat.attacker.test/cb', 'http://[fe80::1]/cb']) {
      const out = await post(OVERRIDE, target);
      expect(out.kind, target).toBe('refused');
    }
    expect(connections).toBe(before);
  });
});

describe('wiring: local only, off by default', () => {
  it('the handlers get it only from the local runtime: the default local environment says false', () => {
    const env = localEnvironment({
      port: 3000,
      tableName: 'tollgate',
      dynamoEndpoint: 'http://127.0.0.1:9',
      sqsEndpoint: 'http://127.0.0.1:9',
      queueUrls: {} as never,
      chains: {},
      secrets: { mnemonic: 'test test test test test test test test test test test junk', adminToken: 'tga_x', projectSecretsKey: Buffer.alloc(32).toString('base64') },
    });
    expect(env.POSTBACK_ALLOW_PRIVATE).toBe('false');
    expect(env.POSTBACK_ALLOW_LOOPBACK).toBe('true');
  });

  it('a deployed function refuses the setting at boot', () => {
    const base = { TABLE_NAME: 'tollgate', POSTBACK_ALLOW_PRIVATE: 'true' };
    expect(loadConfig(base).POSTBACK_ALLOW_PRIVATE).toBe(true);
    expect(() => loadConfig({ ...base, AWS_LAMBDA_FUNCTION_NAME: 'tollgate-postbacks' })).toThrow(/local-runtime override only/);
    expect(loadConfig({ TABLE_NAME: 'tollgate', AWS_LAMBDA_FUNCTION_NAME: 'tollgate-postbacks' }).POSTBACK_ALLOW_PRIVATE).toBe(false);
  });

  it('with it on, a project may set a LAN notification URL and the sender’s transport allows it; the metadata address stays refused', async () => {
    await useTestGateway({ POSTBACK_ALLOW_LOOPBACK: 'true', POSTBACK_ALLOW_PRIVATE: 'true' });
    const { deps } = runtime();
    expect(deps.settings.postbacks.network).toEqual({ allowLoopback: true, allowPrivate: true });
    const { shopId } = await newProject();
    expect((await updateProject(deps, shopId, { notificationUrl: 'http://192.168.1.20:8080/tollgate' })).ok).toBe(true);
    expect((await updateProject(deps, shopId, { notificationUrl: 'http://169.254.169.254/latest/meta-data/' })).ok).toBe(false);
    expect(await deps.transport.post({ url: 'http://169.254.169.254/', body: '', headers: {}, timeoutMs: 1_000 })).toMatchObject({ kind: 'refused' });
  });

  it('with it off (the default), the same LAN URL is refused', async () => {
    await useTestGateway({ POSTBACK_ALLOW_LOOPBACK: 'true', POSTBACK_ALLOW_PRIVATE: 'false' });
    const { deps } = runtime();
    const { shopId } = await newProject();
    const refused = await updateProject(deps, shopId, { notificationUrl: 'http://192.168.1.20:8080/tollgate' });
    expect(refused.ok).toBe(false);
    expect(await deps.transport.post({ url: 'http://192.168.1.20:8080/tollgate', body: '', headers: {}, timeoutMs: 1_000 })).toMatchObject({ kind: 'refused' });
  });
});
