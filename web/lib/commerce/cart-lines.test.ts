import { describe, expect, it } from 'vitest';
import { formatMoney } from '$shared/money';
import { MAX_LINE_QUANTITY } from '$shared/commerce';
import { cartTotals, itemCount, lineTotal, readLines, withAdded, withQuantity, type CartLine } from './cart-lines.ts';

const mug = { variantId: 'v-mug', productId: 'p-mug', title: 'Mug', unitPrice: 1250, currency: 'USD', showId: 'show-1' } as const;
const tea = { variantId: 'v-tea', productId: 'p-tea', title: 'Tea (green)', unitPrice: 899, currency: 'USD', showId: null } as const;
const kimchi = { variantId: 'v-kim', productId: 'p-kim', title: 'Kimchi', unitPrice: 15_000, currency: 'KRW', showId: 'show-2' } as const;

describe('cart totals', () => {
  it('counts items across lines and prices each line in minor units', () => {
    const lines: CartLine[] = [{ ...mug, quantity: 3 }, { ...tea, quantity: 1 }, { ...kimchi, quantity: 2 }];
    expect(itemCount(lines)).toBe(6);
    expect(lines.map(lineTotal)).toEqual([3750, 899, 30_000]);
    expect(formatMoney(lineTotal(lines[0]!), 'USD')).toBe('$37.50');
    expect(formatMoney(lineTotal(lines[2]!), 'KRW')).toBe('₩30,000');
    expect(itemCount([])).toBe(0);
  });

  it('adding an item again adds one to its line, never past the limit', () => {
    let lines = withAdded([], mug)!;
    lines = withAdded(lines, tea)!;
    lines = withAdded(lines, mug)!;
    expect(lines.map((l) => [l.variantId, l.quantity])).toEqual([['v-mug', 2], ['v-tea', 1]]);
    expect(lineTotal(lines[0]!)).toBe(2500);
    expect(withAdded([{ ...mug, quantity: MAX_LINE_QUANTITY }], mug)).toBe(null);
  });

  it('adding checks the stock shown: no more lines of an item than there are in stock', () => {
    const one = withAdded([], mug, 2)!;
    const two = withAdded(one, mug, 2)!;
    expect(two[0]!.quantity).toBe(2);
    expect(withAdded(two, mug, 2)).toBe(null);
    expect(withAdded([], mug, 0)).toBe(null);
  });

  it('totals the cart once per currency', () => {
    const lines: CartLine[] = [{ ...mug, quantity: 2 }, { ...tea, quantity: 1 }, { ...kimchi, quantity: 3 }];
    expect(cartTotals(lines)).toEqual([{ currency: 'USD', amount: 3399 }, { currency: 'KRW', amount: 45_000 }]);
    expect(cartTotals([])).toEqual([]);
  });

  it('a typed quantity sets whole items up to the limit, and zero or nothing removes the line', () => {
    const lines: CartLine[] = [{ ...mug, quantity: 1 }, { ...tea, quantity: 4 }];
    expect(withQuantity(lines, 'v-tea', 7).map((l) => l.quantity)).toEqual([1, 7]);
    expect(withQuantity(lines, 'v-tea', 250).map((l) => l.quantity)).toEqual([1, 100]);
    expect(withQuantity(lines, 'v-tea', 2.7).map((l) => l.quantity)).toEqual([1, 2]);
    expect(withQuantity(lines, 'v-tea', 0).map((l) => l.variantId)).toEqual(['v-mug']);
    expect(withQuantity(lines, 'v-mug', Number.NaN).map((l) => l.variantId)).toEqual(['v-tea']);
    expect(itemCount(withQuantity(lines, 'v-mug', 3))).toBe(7);
  });
});

describe('the cart saved in this browser', () => {
  it('reads back what was saved', () => {
    const lines: CartLine[] = [{ ...mug, quantity: 2 }, { ...kimchi, quantity: 1 }];
    expect(readLines(JSON.stringify(lines))).toEqual(lines);
    expect(readLines(null)).toEqual([]);
  });

  it('starts empty from storage that is not a list, and drops lines that are malformed or repeat an item', () => {
    expect(readLines('{not json')).toEqual([]);
    expect(readLines('{"lines":[]}')).toEqual([]);
    const saved = [
      { ...mug, quantity: 2 },
      { ...tea, quantity: '3' },
      { ...tea, quantity: 0 },
      { ...kimchi, currency: 'XYZ', quantity: 1 },
      { ...mug, quantity: 5 },
      null,
      { ...tea, quantity: 1 }
    ];
    const lines = readLines(JSON.stringify(saved));
    expect(lines.map((l) => [l.variantId, l.quantity])).toEqual([['v-mug', 2], ['v-tea', 1]]);
    expect(itemCount(lines)).toBe(3);
  });
});
