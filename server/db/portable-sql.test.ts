import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { containsIgnoringCase, larger, smaller } from './portable-sql.ts';

describe('portable larger and smaller', () => {
  const db = drizzle(new Database(':memory:'));
  const pick = (q: ReturnType<typeof larger>) => db.get<{ v: number }>(sql`select ${q} as v`)!.v;

  it('pick the larger and the smaller of two values, either way round and when equal', () => {
    for (const [a, b] of [[3, 7], [7, 3], [5, 5], [-2, 0]] as const) {
      expect(pick(larger(a, b))).toBe(Math.max(a, b));
      expect(pick(smaller(a, b))).toBe(Math.min(a, b));
    }
  });

  it('take expressions as well as values', () => {
    expect(pick(larger(0, sql`${4} - ${9}`))).toBe(0);
    expect(pick(smaller(sql`${10} * 2`, 15))).toBe(15);
  });
});

describe('portable case-insensitive contains', () => {
  const db = drizzle(new Database(':memory:'));
  const holds = (text: string, needle: string) => db.get<{ v: number }>(sql`select ${containsIgnoringCase(sql`${text}`, needle)} as v`)!.v === 1;

  it('finds the needle in any case and takes LIKE wildcards literally', () => {
    expect(holds('This leather Handbag costs 49', 'handbag')).toBe(true);
    expect(holds('This leather Handbag', 'HANDBAG')).toBe(true);
    expect(holds('This leather handbag', 'wallet')).toBe(false);
    expect(holds('fifty percent', '%')).toBe(false);
    expect(holds('50% off', '0%')).toBe(true);
    expect(holds('a_b', '_')).toBe(true);
    expect(holds('ab', 'a_')).toBe(false);
    expect(holds('back\\slash', '\\')).toBe(true);
  });

  it('folds the needle as the column is folded, upper-case letters beyond ASCII included', () => {
    expect(holds('Crème BRÛLÉE', 'BRÛLÉE')).toBe(true);
    expect(holds('ÉCOLE', 'École')).toBe(true);
  });
});
