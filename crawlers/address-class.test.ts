import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyAddress, isAddressAllowed, normalizedAddress } from './address-class.ts';

// Link-local, private and metadata addresses are only ever classified here: no test sends them a packet.
const CASES: Array<[string, ReturnType<typeof classifyAddress>]> = [
  ['127.0.0.1', 'loopback'],
  ['127.0.0.2', 'loopback'],
  ['::1', 'loopback'],
  ['10.1.2.3', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['192.168.1.1', 'private'],
  ['169.254.169.254', 'link-local'],
  ['169.254.0.1', 'link-local'],
  ['fe80::1', 'link-local'],
  ['fe80::1%eth0', 'link-local'],
  ['100.64.0.1', 'carrier-grade-nat'],
  ['100.127.255.254', 'carrier-grade-nat'],
  ['224.0.0.1', 'multicast'],
  ['ff02::1', 'multicast'],
  ['0.0.0.0', 'unspecified'],
  ['::', 'unspecified'],
  ['255.255.255.255', 'broadcast'],
  ['fc00::1', 'unique-local'],
  ['fd12:3456::1', 'unique-local'],
  // IPv4-mapped and NAT64 forms are judged by the IPv4 address inside them.
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['[::ffff:169.254.169.254]', 'link-local'],
  ['::ffff:10.0.0.1', 'private'],
  ['::ffff:192.168.0.1', 'private'],
  ['64:ff9b::a9fe:a9fe', 'link-local'],
  ['::ffff:0:7f00:1', 'loopback'],
  ['::7f00:1', 'reserved'],
  ['2002:7f00:1::', 'reserved'],
  ['192.0.2.1', 'reserved'],
  ['240.0.0.1', 'reserved'],
  ['8.8.8.8', 'public'],
  ['100.63.255.255', 'public'],
  ['172.32.0.1', 'public'],
  ['2001:4860:4860::8888', 'public'],
  ['::ffff:8.8.8.8', 'public'],
  ['not-an-address', 'invalid'],
];

for (const [address, expected] of CASES) {
  test(`${address} is ${expected}`, () => assert.equal(classifyAddress(address), expected));
}

test('only public addresses are allowed without the allowance; any valid one with it', () => {
  assert.equal(isAddressAllowed('8.8.8.8', false), true);
  assert.equal(isAddressAllowed('169.254.169.254', false), false);
  assert.equal(isAddressAllowed('::ffff:127.0.0.1', false), false);
  assert.equal(isAddressAllowed('127.0.0.2', true), true);
  assert.equal(isAddressAllowed('garbage', true), false);
});

test('normalizes an address to one text', () => {
  assert.equal(normalizedAddress('::ffff:127.0.0.1'), '127.0.0.1');
  assert.equal(normalizedAddress('[::1]'), '::1');
  assert.equal(normalizedAddress('example.gov.cn'), null);
});
