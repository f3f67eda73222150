import { describe, expect, it } from 'vitest';
import { attemptOf, OutcomeTally } from './attempts.ts';

describe('attemptOf', () => {
  it('spreads attempts over buyers and repeats a key every third round', () => {
    const keys = [0, 3, 6, 9].map((k) => attemptOf(k, 3, 'steady'));
    expect(keys.map((a) => a.buyer)).toEqual([0, 0, 0, 0]);
    expect(keys.map((a) => a.key)).toEqual(['steady-buyer-0-attempt-0', 'steady-buyer-0-attempt-1', 'steady-buyer-0-attempt-1', 'steady-buyer-0-attempt-3']);
  });
});

describe('OutcomeTally', () => {
  const json = (v: unknown) => Buffer.from(JSON.stringify(v));

  it('counts outcomes and an order returned twice to one buyer once', () => {
    const t = new OutcomeTally();
    t.add(1, 201, json({ order: { id: 'a' } }));
    t.add(1, 201, json({ order: { id: 'a' } }));
    t.add(2, 409, json({ error: { message: 'Sold out.' } }));
    expect(t.duplicates).toBe(0);
    expect(t.summary).toBe('2 × order; 1 × 409 Sold out.');
  });

  it('counts a second order for the same buyer as a duplicate', () => {
    const t = new OutcomeTally();
    t.add(1, 201, json({ order: { id: 'a' } }));
    t.add(1, 201, json({ order: { id: 'b' } }));
    t.add(2, 201, json({ order: { id: 'c' } }));
    expect(t.duplicates).toBe(1);
  });
});
