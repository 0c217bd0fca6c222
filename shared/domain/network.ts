/**
 * Where the gateway may send a request on a merchant's behalf (postbacks): the SSRF policy as
 * pure functions over address text. The HTTP adapter applies it to every address DNS returns,
 * and the API applies it to URLs when they are set, so a bad URL is refused early and a DNS
 * answer that turns bad later is refused before any connection.
 */

export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link_local'
  | 'cgnat'
  | 'unique_local'
  | 'unspecified'
  | 'multicast'
  | 'reserved';

export type NetworkPolicy = {
  /** The local runtime's demo receiver listens on 127.0.0.1; nothing else may be reached. */
  allowLoopback: boolean;
  /**
   * The local runtime's documented override (TOLLGATE_POSTBACK_ALLOW_PRIVATE=1): a shop on the
   * LAN or in a container may be reached at a private address (isLanAddress). Never link-local
   * (cloud metadata), CGNAT or any other range; never set on AWS (shared/config.ts refuses it).
   */
  allowPrivate?: boolean;
};

/** Four octets of a dotted IPv4 address, or null. Strict: no leading zeros, no short forms. */
export function parseIpv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const octets = parts.map((p) => (/^(0|[1-9]\d{0,2})$/.test(p) ? Number(p) : Number.NaN));
  return octets.every((o) => o >= 0 && o <= 255) ? octets : null;
}

/** Eight 16-bit groups of an IPv6 address (with `::` and a trailing dotted quad), or null. */
export function parseIpv6(text: string): number[] | null {
  let t = text.toLowerCase();
  if (t.startsWith('[') && t.endsWith(']')) t = t.slice(1, -1);
  const zone = t.indexOf('%');
  if (zone >= 0) t = t.slice(0, zone);
  let tail: number[] = [];
  const lastColon = t.lastIndexOf(':');
  if (t.slice(lastColon + 1).includes('.')) {
    const v4 = parseIpv4(t.slice(lastColon + 1));
    if (!v4) return null;
    tail = [(v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]];
    t = `${t.slice(0, lastColon + 1)}0:0`;
  }
  const halves = t.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  if (!all.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  const out = all.map((g) => Number.parseInt(g, 16));
  if (tail.length) out.splice(6, 2, ...tail);
  return out;
}

const inV4 = (o: number[], a: number, b: number, prefixBits: number): boolean => {
  const value = ((o[0] << 24) | (o[1] << 16) | (o[2] << 8) | o[3]) >>> 0;
  const base = ((a << 24) | (b << 16)) >>> 0;
  const mask = prefixBits === 0 ? 0 : (0xffffffff << (32 - prefixBits)) >>> 0;
  return ((value & mask) >>> 0) === ((base & mask) >>> 0);
};

function classifyIpv4(o: number[]): AddressClass {
  if (o[0] === 127) return 'loopback';
  if (o[0] === 0) return 'unspecified';
  if (o[0] === 10 || inV4(o, 172, 16, 12) || inV4(o, 192, 168, 16)) return 'private';
  if (inV4(o, 169, 254, 16)) return 'link_local'; // includes 169.254.169.254, the cloud metadata service
  if (inV4(o, 100, 64, 10)) return 'cgnat';
  if (o[0] >= 224 && o[0] <= 239) return 'multicast';
  // 192.0.0/24 protocol assignments, 198.18/15 benchmarking, 240/4 reserved and broadcast.
  if ((o[0] === 192 && o[1] === 0 && o[2] === 0) || inV4(o, 198, 18, 15) || o[0] >= 240) return 'reserved';
  return 'public';
}

function classifyIpv6(g: number[]): AddressClass {
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  const embeddedV4 = () => [g[6] >> 8, g[6] & 0xff, g[7] >> 8, g[7] & 0xff];
  if (zeroUpTo(7) && g[7] === 1) return 'loopback';
  if (zeroUpTo(8)) return 'unspecified';
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), and NAT64 (64:ff9b::a.b.c.d)
  // reach the IPv4 address inside, so they are judged by it.
  if (zeroUpTo(5) && (g[5] === 0xffff || g[5] === 0)) return classifyIpv4(embeddedV4());
  // IPv4-translated (::ffff:0:a.b.c.d, RFC 2765 SIIT) is translated to the IPv4 address inside too.
  if (zeroUpTo(4) && g[4] === 0xffff && g[5] === 0) return classifyIpv4(embeddedV4());
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return classifyIpv4(embeddedV4());
  // Local-use NAT64 (64:ff9b:1::/48, RFC 8215) is a network's own translator, and its prefix
  // length (/48 to /96) decides where the IPv4 address sits, so the address inside cannot be
  // read reliably: the whole block is refused, like an internal IPv4 address.
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return 'reserved';
  // 6to4 (2002:AABB:CCDD::) carries an IPv4 address in groups 1 and 2.
  if (g[0] === 0x2002) {
    const inner = classifyIpv4([g[1] >> 8, g[1] & 0xff, g[2] >> 8, g[2] & 0xff]);
    if (inner !== 'public') return inner;
  }
  if ((g[0] & 0xfe00) === 0xfc00) return 'unique_local';
  if ((g[0] & 0xffc0) === 0xfe80) return 'link_local';
  if ((g[0] & 0xffc0) === 0xfec0) return 'private'; // deprecated site-local
  if ((g[0] & 0xff00) === 0xff00) return 'multicast';
  return 'public';
}

/** The class of an IP address literal, or null when the text is not one. */
export function classifyAddress(text: string): AddressClass | null {
  const v4 = parseIpv4(text);
  if (v4) return classifyIpv4(v4);
  const v6 = parseIpv6(text);
  return v6 ? classifyIpv6(v6) : null;
}

/**
 * A LAN address in the strict sense of the private override: IPv4 10/8, 172.16/12, 192.168/16
 * (also written IPv4-mapped, ::ffff:a.b.c.d, which is the same address) and IPv6 unique-local
 * fc00::/7. Deliberately not the deprecated site-local fec0::/10, nor addresses that only carry
 * a private IPv4 inside (6to4, NAT64), which are routed elsewhere.
 */
export function isLanAddress(text: string): boolean {
  const lanV4 = (o: number[]) => o[0] === 10 || inV4(o, 172, 16, 12) || inV4(o, 192, 168, 16);
  const v4 = parseIpv4(text);
  if (v4) return lanV4(v4);
  const g = parseIpv6(text);
  if (!g) return false;
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return lanV4([g[6] >> 8, g[6] & 0xff, g[7] >> 8, g[7] & 0xff]);
  if (CLOUD_METADATA_V6.some((m) => m.every((x, i) => x === g[i]))) return false;
  return (g[0] & 0xfe00) === 0xfc00;
}

/**
 * Cloud metadata services that sit inside fc00::/7: AWS's IPv6 instance metadata (fd00:ec2::254)
 * and Google Cloud's (fd20:ce::254). A gateway run on a cloud machine must never post to them.
 */
const CLOUD_METADATA_V6 = ['fd00:ec2::254', 'fd20:ce::254'].map((a) => parseIpv6(a) as number[]);

/** Why an address may not be connected to, or null when it may. */
export function refusedAddress(address: string, policy: NetworkPolicy): string | null {
  const cls = classifyAddress(address);
  if (cls === null) return `${address} is not an IP address`;
  if (cls === 'public' || (cls === 'loopback' && policy.allowLoopback)) return null;
  if (policy.allowPrivate && isLanAddress(address)) return null;
  return `${address} is a ${cls.replace('_', '-')} address`;
}

/** A URL's host without IPv6 brackets, lower-cased: what DNS and the address checks take. */
export const bareHost = (url: URL): string => url.hostname.toLowerCase().replace(/^\[|\]$/g, '');

/** Host names that resolve to this machine by convention (RFC 6761), refused without asking DNS. */
const isLocalName = (host: string) => host === 'localhost' || host.endsWith('.localhost');

/**
 * Why a notification URL is refused before any DNS lookup: scheme, credentials, and hosts that
 * are literal addresses or local names outside the policy. Null when it may be tried; the
 * adapter still checks every address the name resolves to.
 */
export function notificationUrlProblem(text: string, policy: NetworkPolicy): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must use http or https';
  if (url.username || url.password) return 'must not carry credentials';
  const host = bareHost(url);
  if (!host) return 'has no host';
  if (isLocalName(host)) return policy.allowLoopback ? null : 'points at this machine (localhost)';
  if (classifyAddress(host) === null) return null;
  const refused = refusedAddress(host, policy);
  return refused ? `points at a non-public address: ${refused}` : null;
}
