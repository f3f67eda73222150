import { getContext, setContext } from 'svelte';
import type { OrderDto } from '$shared/orders';

/**
 * What the checkout sheet over the stream is showing: the cart, or the orders being paid
 * (one from a buy or a win, one per seller from the cart), paid one after another.
 */
export class Checkout {
  #orders = $state<OrderDto[]>([]);
  #at = $state(0);
  #showingCart = $state(false);

  get open(): boolean {
    return this.#showingCart || this.#orders.length > 0;
  }

  get showingCart(): boolean {
    return this.#showingCart;
  }

  get orders(): readonly OrderDto[] {
    return this.#orders;
  }

  /** The order on screen, with its place among the orders being paid. */
  get current(): OrderDto | null {
    return this.#orders[this.#at] ?? null;
  }

  get position(): { n: number; count: number } {
    return { n: this.#at + 1, count: this.#orders.length };
  }

  get hasNext(): boolean {
    return this.#at < this.#orders.length - 1;
  }

  pay(orders: OrderDto[]): void {
    this.#showingCart = false;
    this.#orders = orders;
    this.#at = 0;
  }

  next(): void {
    if (this.hasNext) this.#at += 1;
  }

  showCart(): void {
    this.#orders = [];
    this.#showingCart = true;
  }

  /** The server's newer copy of an order in the sheet (paid, declined, expired). */
  update(order: OrderDto): void {
    this.#orders = this.#orders.map((o) => (o.id === order.id ? order : o));
  }

  close(): void {
    this.#orders = [];
    this.#at = 0;
    this.#showingCart = false;
  }
}

const key = Symbol('checkout');
/** A page that hosts the sheet provides it; buy buttons elsewhere fall back to the payment page. */
export const provideCheckout = (checkout: Checkout) => setContext(key, checkout);
export const useCheckout = () => getContext<Checkout | undefined>(key);
