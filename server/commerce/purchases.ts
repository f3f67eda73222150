import type { Db } from '../db/client.ts';
import { AppError } from '../errors.ts';
import { TypedEmitter } from '../events.ts';
import type { PublicUser } from '#shared/auth.ts';
import type { BuyInput } from '#shared/commerce.ts';
import type { OrderDto } from '#shared/orders.ts';
import type { Currency } from '#shared/money.ts';
import type { Catalog } from './catalog.ts';
import { salePrice, type Inventory } from './inventory.ts';
import type { NewItem, Orders } from './orders.ts';

export interface PurchasesEvents extends Record<string, unknown[]> {
  /** Stock of these products moved in this show's room (a buy, or reserved stock coming back). */
  stockChanged: [showId: string | null, productIds: string[], saleIds: string[]];
}

interface Line {
  variantId: string;
  quantity: number;
  saleId?: string;
}

/**
 * Buying: stock (and a sale's quantity) is taken and the order created in one
 * transaction, so no interleaving of buyers can oversell. The order holds the
 * units until it is paid or lapses. An idempotency key makes a retried or
 * double-tapped buy return the first order instead of a second one.
 */
export class Purchases extends TypedEmitter<PurchasesEvents> {
  readonly #db: Db;
  readonly #catalog: Catalog;
  readonly #inventory: Inventory;
  readonly #orders: Orders;
  readonly #now: () => number;

  constructor(opts: { db: Db; catalog: Catalog; inventory: Inventory; orders: Orders; now?: () => number }) {
    super();
    this.#db = opts.db;
    this.#catalog = opts.catalog;
    this.#inventory = opts.inventory;
    this.#orders = opts.orders;
    this.#now = opts.now ?? Date.now;
    opts.orders.on('lapsed', (order, items) => {
      if (items.length) this.emit('stockChanged', order.showId, unique(items.map((i) => i.productId)), unique(items.flatMap((i) => i.saleId ?? [])));
    });
  }

  buy(buyer: PublicUser | null, input: BuyInput): OrderDto {
    return this.#purchase(buyer, input.showId ?? null, [input], input.idempotencyKey);
  }

  checkoutCart(buyer: PublicUser | null, showId: string | null, lines: Line[], idempotencyKey: string): OrderDto {
    return this.#purchase(buyer, showId, lines, idempotencyKey);
  }

  #purchase(buyer: PublicUser | null, showId: string | null, lines: Line[], key: string): OrderDto {
    if (!buyer) throw new AppError('unauthenticated', 'Sign in to buy.');
    const existing = this.#orders.byIdempotencyKey(buyer.id, key);
    if (existing) return this.#orders.dto(existing);
    const now = this.#now();
    // In a rush most attempts arrive after the last unit went: answer those without a transaction.
    // (The transaction below re-checks everything atomically; this read only short-cuts.)
    for (const line of lines) {
      const sale = line.saleId ? this.#inventory.sale(line.saleId) : null;
      if (sale && sale.sold + line.quantity > sale.quantity && now >= sale.startsAt) throw new AppError('conflict', 'Sold out.');
    }
    const order = this.#db.transaction(() => {
      const items: NewItem[] = [];
      let currency: Currency | null = null;
      for (const line of lines) {
        const { variant, product } = this.#catalog.variant(line.variantId);
        if (product.ownerId === buyer.id) throw new AppError('forbidden', 'You cannot buy your own product.');
        if (currency && currency !== product.currency) throw new AppError('bad_request', 'One order holds one currency.');
        currency = product.currency;
        const sale = line.saleId ? this.#inventory.sale(line.saleId) : null;
        if (sale) {
          if (sale.productId !== product.id) throw new AppError('bad_request', 'That sale is for another product.');
          const already = this.#inventory.boughtInSale(sale.id, buyer.id);
          if (already + line.quantity > sale.perBuyerLimit) {
            throw new AppError('conflict', `This sale allows ${sale.perBuyerLimit} per buyer${already ? `; you already have ${already}` : ''}.`);
          }
          this.#inventory.takeSale(sale, line.quantity, now);
        }
        this.#inventory.take(variant.id, line.quantity);
        const title = variant.name ? `${product.title} (${variant.name})` : product.title;
        items.push({ productId: product.id, variantId: variant.id, saleId: sale?.id ?? null, title, unitPrice: salePrice(variant.price ?? product.price, sale), quantity: line.quantity });
      }
      return this.#orders.createForItems({ buyerId: buyer.id, showId, currency: currency!, items, idempotencyKey: key });
    });
    const items = this.#orders.items(order.id);
    this.emit('stockChanged', showId, unique(items.map((i) => i.productId)), unique(items.flatMap((i) => i.saleId ?? [])));
    return this.#orders.dto(order);
  }
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
