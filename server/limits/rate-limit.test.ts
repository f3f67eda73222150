import { describe, expect, it } from 'vitest';
import { addressBucket, RateLimiter } from './rate-limit.ts';

describe('RateLimiter', () => {
  it('allows the limit per window and counts again once the window has passed', () => {
    let now = 0;
    const limiter = new RateLimiter({ limit: 2, windowMs: 1000, now: () => now });
    expect([limiter.hit('a'), limiter.hit('a'), limiter.hit('a'), limiter.hit('b')]).toEqual([true, true, false, true]);
    expect(limiter.count('a')).toBe(3);
    now = 1000;
    expect(limiter.count('a')).toBe(0);
    expect(limiter.hit('a')).toBe(true);
  });

  it('counts a hit worth several points (characters, say) against the same limit', () => {
    const limiter = new RateLimiter({ limit: 100, windowMs: 1000, now: () => 0 });
    expect(limiter.hit('a', 60)).toBe(true);
    expect(limiter.hit('a', 40)).toBe(true);
    expect(limiter.hit('a', 1)).toBe(false);
    expect(limiter.count('a')).toBe(101);
  });
});

describe('addressBucket', () => {
  it('counts IPv6 clients by their /64 and IPv4 ones by address, IPv4-mapped included', () => {
    expect(addressBucket('2001:db8:1:2:aaaa::1')).toBe(addressBucket('2001:0db8:1:2:ffff:ffff:ffff:ffff'));
    expect(addressBucket('2001:db8:1:2::1')).not.toBe(addressBucket('2001:db8:1:3::1'));
    expect(addressBucket('::1')).toBe('0:0:0:0::/64');
    expect(addressBucket('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(addressBucket('192.0.2.7')).toBe('192.0.2.7');
    expect(addressBucket('192.0.2.1')).not.toBe(addressBucket('192.0.2.2'));
  });
});
