import { describe, expect, it } from 'vitest';
import { assertUrlForm, isPublicAddress, resolveAllowed } from './address-policy.ts';

const strict = { allowPrivateAddresses: false, allowHttp: false };
const open = { allowPrivateAddresses: true, allowHttp: true };

describe('the webhook address policy', () => {
  it('takes public unicast addresses only', () => {
    for (const a of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '2001:4860:4860::8888']) expect(isPublicAddress(a), a).toBe(true);
    const refused = [
      '127.0.0.1', '127.8.9.10', '::1', // loopback
      '10.0.0.1', '172.16.5.4', '192.168.1.1', // private
      '169.254.169.254', 'fe80::1', // link-local (cloud metadata)
      '100.64.0.1', // CGNAT
      '224.0.0.1', 'ff02::1', // multicast
      '0.0.0.0', '::', // unspecified
      '255.255.255.255', '192.0.2.1', // broadcast, documentation
      'fd00::1', 'fc12::1', // unique-local
      '::ffff:127.0.0.1', '::ffff:10.0.0.1', '::ffff:8.8.8.8', // IPv4-mapped, whatever they map
      '2002:7f00:1::1', '64:ff9b::7f00:1', // 6to4 and NAT64 wrapping 127.0.0.1
      'not-an-address'
    ];
    for (const a of refused) expect(isPublicAddress(a), a).toBe(false);
  });

  it('refuses by form: other schemes, credentials, http unless allowed, literal private addresses', () => {
    const form = (url: string, policy = strict) => () => assertUrlForm(new URL(url), policy);
    expect(form('https://8.8.8.8/hooks')).not.toThrow();
    expect(form('https://example.com/hooks')).not.toThrow();
    expect(form('http://example.com/hooks')).toThrow(/https/);
    expect(form('ftp://example.com/hooks', open)).toThrow(/https/);
    expect(form('https://u:p@example.com/hooks', open)).toThrow(/password/);
    expect(form('https://127.0.0.1/hooks')).toThrow(/not a public address/);
    expect(form('https://[::ffff:7f00:1]/hooks')).toThrow(/not a public address/);
    expect(form('https://[fd00::1]/hooks')).toThrow(/not a public address/);
    expect(form('https://169.254.169.254/latest/meta-data')).toThrow(/not a public address/);
    // Forms URL parsing turns into a loopback address are caught as such.
    expect(form('https://2130706433/hooks')).toThrow(/not a public address/);
    expect(form('https://0x7f.1/hooks')).toThrow(/not a public address/);
    expect(form('http://127.0.0.1:8080/hooks', open)).not.toThrow();
  });

  it('checks a name after resolving it: localhost is refused unless private addresses are allowed', async () => {
    await expect(resolveAllowed('localhost', strict)).rejects.toThrow(/localhost resolves to .*not a public address/);
    expect((await resolveAllowed('localhost', open)).map((a) => a.address)).toContain('127.0.0.1');
    await expect(resolveAllowed('no-such-host.invalid', open)).rejects.toThrow(/does not resolve/);
  });
});
