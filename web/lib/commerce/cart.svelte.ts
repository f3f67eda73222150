import { getContext, setContext } from 'svelte';
import { itemCount, readLines, withAdded, withQuantity, type CartLine } from './cart-lines';

const KEY = 'hawker.cart';

/**
 * The cart lives in this browser (localStorage): prices here are for display;
 * checking out reserves every line at once at the server's prices.
 */
export class Cart {
  lines = $state<CartLine[]>([]);

  constructor() {
    this.lines = readLines(localStorage.getItem(KEY));
  }

  get count(): number {
    return itemCount(this.lines);
  }

  /** Adds one of the item; false when the cart already holds all the stock shown (or the line's limit). */
  add(line: Omit<CartLine, 'quantity'>, stock?: number): boolean {
    const next = withAdded(this.lines, line, stock);
    if (!next) return false;
    this.lines = next;
    this.#save();
    return true;
  }

  setQuantity(variantId: string, quantity: number): void {
    this.lines = withQuantity(this.lines, variantId, quantity);
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
