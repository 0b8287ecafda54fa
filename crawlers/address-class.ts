/**
 * What kind of network an IP address belongs to, for the network policy (network-policy.ts): only `public`
 * addresses may be contacted unless `allowPrivateNetworks` is set. The CIDR tables are ipaddr.js's; IPv6 forms
 * that embed an IPv4 address (::ffff:a.b.c.d, the NAT64 prefixes) are judged by the IPv4 address inside them.
 */
import ipaddr from 'ipaddr.js';

export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'carrier-grade-nat'
  | 'multicast'
  | 'unspecified'
  | 'broadcast'
  | 'unique-local'
  | 'reserved'
  | 'invalid';

/** ipaddr.js's range names, mapped onto ours; a name not listed here (benchmarking, 6to4, teredo, …) is `reserved`. */
const RANGE_CLASSES: Record<string, AddressClass> = {
  unicast: 'public',
  loopback: 'loopback',
  private: 'private',
  linkLocal: 'link-local',
  carrierGradeNat: 'carrier-grade-nat',
  multicast: 'multicast',
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  uniqueLocal: 'unique-local',
};

/** IPv6 ranges whose last 32 bits are an IPv4 address that the packets reach (RFC 4291 mapped, RFC 6145/6052 translated). */
const EMBEDS_IPV4 = new Set(['ipv4Mapped', 'rfc6145', 'rfc6052']);

/** The class of an IP address in any textual form Node or a URL gives (`127.0.0.1`, `::1`, `[::ffff:7f00:1]`). */
export function classifyAddress(text: string): AddressClass {
  const bare = text.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, ''); // brackets of a URL host, an IPv6 zone id
  if (!ipaddr.isValid(bare)) return 'invalid';
  const address = ipaddr.parse(bare);
  if (address.kind() === 'ipv4') return RANGE_CLASSES[address.range()] ?? 'reserved';
  const ipv6 = address as ipaddr.IPv6;
  const range = ipv6.range();
  if (EMBEDS_IPV4.has(range)) return classifyAddress(ipaddr.fromByteArray(ipv6.toByteArray().slice(12)).toString());
  // The deprecated IPv4-compatible form ::a.b.c.d (::/96 besides :: and ::1) names no public host.
  if (range === 'unicast' && ipv6.parts.slice(0, 6).every((part) => part === 0)) return 'reserved';
  return RANGE_CLASSES[range] ?? 'reserved';
}

/** Whether the policy lets a crawl contact this address: public ones always, the others only with the allowance. */
export function isAddressAllowed(text: string, allowPrivateNetworks: boolean): boolean {
  const kind = classifyAddress(text);
  return kind === 'public' || (allowPrivateNetworks && kind !== 'invalid');
}

/** The canonical text of an IP address (`::ffff:127.0.0.1` → `127.0.0.1`), or null when it is none. */
export function normalizedAddress(text: string): string | null {
  const bare = text.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  return ipaddr.isValid(bare) ? ipaddr.process(bare).toString() : null;
}
