import { describe, expect, it } from 'vitest';
import { addressKey, SocketBudget } from './socket-budget.ts';

describe('SocketBudget', () => {
  it('counts an IPv6 client by its /64, so rotating addresses in one network does not dodge the cap', () => {
    const budget = new SocketBudget({ perAddress: 2, perAccount: 10 });
    expect(budget.take({ address: '2001:db8:1:2::1', account: null })).not.toBeNull();
    expect(budget.take({ address: '2001:db8:1:2:ffff::9', account: null })).not.toBeNull();
    expect(budget.take({ address: '2001:0db8:0001:0002:aaaa:bbbb:cccc:dddd', account: null })).toBeNull();
    expect(budget.take({ address: '2001:db8:1:3::1', account: null })).not.toBeNull();
  });

  it('keys IPv4 (also IPv4-mapped) by the address', () => {
    expect(addressKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(addressKey('192.0.2.7')).toBe('192.0.2.7');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });

  it('gives a released place back, once', () => {
    const budget = new SocketBudget({ perAddress: 1, perAccount: 1 });
    const release = budget.take({ address: '192.0.2.1', account: 'u' })!;
    expect(budget.take({ address: '192.0.2.2', account: 'u' })).toBeNull();
    release();
    release();
    expect(budget.take({ address: '192.0.2.1', account: 'u' })).not.toBeNull();
    expect(budget.take({ address: '192.0.2.1', account: 'v' })).toBeNull();
  });
});
