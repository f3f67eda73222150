import { describe, expect, it } from 'vitest';
import { MemorySocketBudget } from './socket-budget.ts';

describe('MemorySocketBudget', () => {
  it('counts an IPv6 client by its /64, so rotating addresses in one network does not dodge the cap', () => {
    const budget = new MemorySocketBudget({ perAddress: 2, perAccount: 10 });
    expect(budget.takeNow({ address: '2001:db8:1:2::1', account: null })).not.toBeNull();
    expect(budget.takeNow({ address: '2001:db8:1:2:ffff::9', account: null })).not.toBeNull();
    expect(budget.takeNow({ address: '2001:0db8:0001:0002:aaaa:bbbb:cccc:dddd', account: null })).toBeNull();
    expect(budget.takeNow({ address: '2001:db8:1:3::1', account: null })).not.toBeNull();
  });

  it('gives a released place back, once', () => {
    const budget = new MemorySocketBudget({ perAddress: 1, perAccount: 1 });
    const release = budget.takeNow({ address: '192.0.2.1', account: 'u' })!;
    expect(budget.takeNow({ address: '192.0.2.2', account: 'u' })).toBeNull();
    release();
    release();
    expect(budget.takeNow({ address: '192.0.2.1', account: 'u' })).not.toBeNull();
    expect(budget.takeNow({ address: '192.0.2.1', account: 'v' })).toBeNull();
  });
});
