import { getContext, setContext } from 'svelte';
import type { Currency } from '$shared/money';

export interface CartLine {
  variantId: string;
  productId: string;
  title: string;
  unitPrice: number;
  currency: Currency;
  quantity: number;
  showId: string | null;
}

const KEY = 'hawker.cart';

/**
 * The cart lives in this browser (localStorage): prices here are for display;
 * checking out reserves every line at once at the server's prices.
 */
export class Cart {
  lines = $state<CartLine[]>([]);

  constructor() {
    try {
      this.lines = JSON.parse(localStorage.getItem(KEY) ?? '[]') as CartLine[];
    } catch {
      this.lines = [];
    }
  }

  get count(): number {
    return this.lines.reduce((n, l) => n + l.quantity, 0);
  }

  add(line: Omit<CartLine, 'quantity'>): void {
    const existing = this.lines.find((l) => l.variantId === line.variantId);
    if (existing) existing.quantity = Math.min(100, existing.quantity + 1);
    else this.lines.push({ ...line, quantity: 1 });
    this.#save();
  }

  setQuantity(variantId: string, quantity: number): void {
    this.lines = quantity > 0 ? this.lines.map((l) => (l.variantId === variantId ? { ...l, quantity: Math.min(100, quantity) } : l)) : this.lines.filter((l) => l.variantId !== variantId);
    this.#save();
  }

  clear(): void {
    this.lines = [];
    this.#save();
  }

  #save(): void {
    localStorage.setItem(KEY, JSON.stringify(this.lines));
  }
}

const contextKey = Symbol('cart');
/** The layout owns the cart (browser only); pages read it through this getter. */
export const provideCart = (get: () => Cart | null) => setContext(contextKey, get);
export const useCart = () => getContext<() => Cart | null>(contextKey);
