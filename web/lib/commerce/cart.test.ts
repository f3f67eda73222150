import { afterEach, describe, expect, it, vi } from 'vitest';
import { Cart } from './cart.svelte';

const mug = { variantId: 'v-mug', productId: 'p-mug', title: 'Mug', unitPrice: 1250, currency: 'USD', showId: 'show-1' } as const;

describe('the cart in this browser', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('keeps its lines across page loads and empties on checkout', () => {
    const store = new Map<string, string>();
    vi.stubGlobal('localStorage', { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => store.set(k, v) });
    const cart = new Cart();
    cart.add(mug);
    cart.add(mug);
    cart.add({ ...mug, variantId: 'v-cup', title: 'Cup' });
    cart.setQuantity('v-cup', 4);
    expect(cart.count).toBe(6);

    const reloaded = new Cart();
    expect(reloaded.lines.map((l) => [l.variantId, l.quantity])).toEqual([['v-mug', 2], ['v-cup', 4]]);
    reloaded.clear();
    expect(new Cart().count).toBe(0);
  });

  it('refuses to add past the stock shown', () => {
    const store = new Map<string, string>();
    vi.stubGlobal('localStorage', { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => store.set(k, v) });
    const cart = new Cart();
    expect(cart.add(mug, 1)).toBe(true);
    expect(cart.add(mug, 1)).toBe(false);
    expect(cart.count).toBe(1);
  });
});
