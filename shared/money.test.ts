import { describe, expect, it } from 'vitest';
import { moneyInput, parseMoney } from './money.ts';

describe('money as typed', () => {
  it('writes minor units in major ones that parseMoney reads back', () => {
    expect(moneyInput(1250, 'USD')).toBe('12.50');
    expect(moneyInput(3000, 'KRW')).toBe('3000');
    for (const [amount, currency] of [[1, 'USD'], [999_999_999, 'EUR'], [5, 'JPY']] as const) expect(parseMoney(moneyInput(amount, currency), currency)).toBe(amount);
  });
});
