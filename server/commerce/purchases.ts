import type { LimitStore, SharedLimit } from '../limits/shared-limits.ts';
import type { Repo } from '../db/repo.ts';
import type { FlashSaleRow, OrderRow, ProductRow, VariantRow } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { TypedEmitter } from '../events.ts';
import { recordWebhookEvent } from '../webhooks/outbox.ts';
import type { PublicUser } from '#shared/auth.ts';
import type { BuyInput, StockUpdate } from '#shared/commerce.ts';
import type { OrderDto } from '#shared/orders.ts';
import type { Participation } from '../chat/chat-moderation.ts';
import type { Catalog } from './catalog.ts';
import { salePrice, type Inventory } from './inventory.ts';
import { toOrderDto, type NewItem, type Orders } from './orders.ts';
import { GroupCommit } from './group-commit.ts';

export interface PurchasesEvents extends Record<string, unknown[]> {
  /** Stock of these products moved in this show (a buy, or reserved stock coming back); `levels` reads them now, so
   *  nothing is read when no room is open to hear it. */
  stock: [showId: string, levels: () => Promise<StockUpdate[]>];
}

interface Line {
  variantId: string;
  quantity: number;
  saleId?: string;
  /** The show the buyer bought in, as the client says; checked against the show's lineup. */
  showId?: string;
}

export interface PurchaseLimits {
  /** Buy and checkout requests per buyer per minute. */
  buysPerMinute: number;
  /** Units a buyer may hold reserved and unpaid at once. */
  maxUnpaidUnits: number;
}

/**
 * Buying: stock (and a sale's quantity) is taken and the orders created in one
 * transaction, so no interleaving of buyers can oversell. The seller and show of each
 * line are decided here (a product is bought in a show only if it is in that show's
 * lineup) and each seller gets their own order. An order holds its units until it is
 * paid or lapses. An idempotency key makes a retried or double-tapped buy return the
 * first order instead of a second one. Per-buyer limits keep one account from hoarding.
 */
export class Purchases extends TypedEmitter<PurchasesEvents> {
  readonly #repo: Repo;
  readonly #catalog: Catalog;
  readonly #inventory: Inventory;
  readonly #orders: Orders;
  readonly #participation: Participation;
  readonly #now: () => number;
  readonly #maxUnpaidUnits: number;
  readonly #rate: SharedLimit;
  readonly #commits: GroupCommit;

  constructor(opts: { repo: Repo; catalog: Catalog; inventory: Inventory; orders: Orders; participation: Participation; limits: PurchaseLimits; limitStore: LimitStore; now?: () => number }) {
    super();
    this.#repo = opts.repo;
    this.#catalog = opts.catalog;
    this.#inventory = opts.inventory;
    this.#orders = opts.orders;
    this.#participation = opts.participation;
    this.#now = opts.now ?? Date.now;
    this.#maxUnpaidUnits = opts.limits.maxUnpaidUnits;
    this.#rate = opts.limitStore.limit({ name: 'buys', limit: opts.limits.buysPerMinute, windowSeconds: 60 });
    this.#commits = new GroupCommit(opts.repo);
    opts.orders.on('lapsed', (order, items) => this.#stockMoved(order.showId, items));
  }

  async buy(buyer: PublicUser | null, input: BuyInput): Promise<OrderDto> {
    return (await this.#purchase(buyer, [input], () => input.idempotencyKey))[0]!;
  }

  /** One order per seller (and show and currency) of the cart's lines. */
  checkoutCart(buyer: PublicUser | null, lines: Line[], idempotencyKey: string): Promise<OrderDto[]> {
    return this.#purchase(buyer, lines, (group) => `${idempotencyKey}:${group}`);
  }

  async #purchase(buyer: PublicUser | null, lines: Line[], keyOf: (group: string) => string): Promise<OrderDto[]> {
    if (!buyer) throw new AppError('unauthenticated', 'Sign in to buy.');
    if (!(await this.#rate.take(buyer.id))) throw new AppError('rate_limited', 'Too many purchases in a short time. Wait a minute and try again.');
    const groups = new Map<string, Resolved[]>();
    for (const line of lines) {
      const r = await this.#resolve(buyer, line);
      const group = `${r.product.ownerId}:${r.showId ?? '-'}:${r.product.currency}`;
      groups.set(group, [...(groups.get(group) ?? []), r]);
    }
    const keys = [...groups.keys()].map(keyOf);
    const placed = await this.#placed(buyer.id, keys);
    if (placed) return this.#orders.dtos(placed);

    const now = this.#now();
    // In a rush most attempts arrive after the last unit went: answer those without a transaction.
    // (The transaction below re-checks everything atomically; this read only short-cuts.)
    for (const { line, sale } of [...groups.values()].flat()) {
      if (sale && sale.sold + line.quantity > sale.quantity && now >= sale.startsAt) throw new AppError('conflict', 'Sold out.', { reason: 'sold_out' });
    }
    // Someone kept out of a show (a ban, a channel block) does not buy in it either. Checked after
    // the sold-out short cut: those lookups would otherwise cost every attempt of a rush.
    for (const showId of new Set([...groups.values()].flatMap((rs) => rs[0]!.showId ?? []))) await this.#participation.assertMayTakePart(showId, buyer.id);
    // Committed with the other buys of this turn: a drop's rush pays one fsync, not one per order.
    // Everything that can change meanwhile (a double tap in the same batch, stock, the sale) is read again inside.
    const outcome = await this.#commits.run(async (): Promise<{ orders: OrderRow[] } | { placed: { order: OrderRow; items: NewItem[] }[] }> => {
      // On PostgreSQL, where buys run side by side, another buy of this buyer (a double tap too) waits here for that one's commit.
      const resolved = [...groups.values()].flat();
      await this.#inventory.lock({ buyerId: buyer.id, variantIds: resolved.map((r) => r.variant.id), saleIds: resolved.flatMap((r) => r.sale?.id ?? []) });
      const again = await this.#placed(buyer.id, keys);
      if (again) return { orders: again };
      const units = lines.reduce((n, l) => n + l.quantity, 0);
      const held = await this.#inventory.unpaidUnits(buyer.id);
      if (held + units > this.#maxUnpaidUnits) {
        throw new AppError('conflict', `You can hold at most ${this.#maxUnpaidUnits} unpaid items at once${held ? ` and already hold ${held}` : ''}. Pay for or cancel an order first.`, {
          reason: 'unpaid_limit',
          limit: this.#maxUnpaidUnits,
          held
        });
      }
      const placed: { order: OrderRow; items: NewItem[] }[] = [];
      for (const [group, rs] of groups) {
        const items: NewItem[] = [];
        for (const r of rs) items.push(await this.#take(buyer.id, r, now));
        const { product, showId } = rs[0]!;
        placed.push({ order: await this.#orders.createForItems({ buyerId: buyer.id, sellerId: product.ownerId, showId, currency: product.currency, items, idempotencyKey: keyOf(group) }), items });
      }
      return { placed };
    });
    if ('orders' in outcome) return this.#orders.dtos(outcome.orders);
    // The items just written: nothing to read back.
    return outcome.placed.map(({ order, items }) => {
      this.#stockMoved(order.showId, items);
      return toOrderDto(order, items);
    });
  }

  /** The orders an earlier request with these keys placed, if it placed them all; a key reused with other items is refused. */
  async #placed(buyerId: string, keys: string[]): Promise<OrderRow[] | null> {
    const existing: (OrderRow | undefined)[] = [];
    for (const k of keys) existing.push(await this.#orders.byIdempotencyKey(buyerId, k));
    if (existing.every((o) => o !== undefined)) return existing as OrderRow[];
    if (existing.some((o) => o !== undefined)) throw new AppError('conflict', 'This checkout was already placed with other items.');
    return null;
  }

  /** Announces the committed stock levels of the items' products (and their sales) to a show. */
  #stockMoved(showId: string | null, items: readonly NewItem[]): void {
    if (!showId || !items.length) return;
    this.emit('stock', showId, async () => {
      const sales = await Promise.all(unique(items.flatMap((i) => i.saleId ?? [])).map((id) => this.#inventory.sale(id)));
      return (await this.#catalog.many(unique(items.map((i) => i.productId)))).map((p): StockUpdate => {
        const sale = sales.find((s) => s.productId === p.id);
        return { productId: p.id, variants: p.variants.map((v) => ({ id: v.id, stock: v.stock })), sale: sale ? { id: sale.id, remaining: sale.quantity - sale.sold } : null };
      });
    });
  }

  /** Reports a drop's last unit going to its seller's webhooks, in the purchase's transaction (read inside it, so once). */
  async #soldOut(sellerId: string, sale: FlashSaleRow, at: number): Promise<void> {
    const drop = { id: sale.id, showId: sale.showId, productId: sale.productId, quantity: sale.quantity, startsAt: sale.startsAt, endsAt: sale.endsAt };
    await recordWebhookEvent(this.#repo, { hostId: sellerId, showId: sale.showId, type: 'drop.sold_out', at, data: { drop, soldOutAt: at } });
  }

  /** What a line buys, from whom and in which show; nothing is written. */
  async #resolve(buyer: PublicUser, line: Line): Promise<Resolved> {
    const { variant, product } = await this.#catalog.variant(line.variantId);
    if (product.ownerId === buyer.id) throw new AppError('forbidden', 'You cannot buy your own product.');
    const sale = line.saleId ? await this.#inventory.sale(line.saleId) : null;
    if (sale && sale.productId !== product.id) throw new AppError('bad_request', 'That sale is for another product.');
    const showId = line.showId ?? sale?.showId ?? null;
    if (sale && sale.showId !== showId) throw new AppError('bad_request', 'That sale belongs to another show.');
    if (showId && !(await this.#catalog.inLineup(showId, product.id))) throw new AppError('bad_request', 'That product is not on sale in this show.');
    return { line, variant, product, sale, showId };
  }

  /** Takes a line's units (and its sale's); call inside the purchase transaction. */
  async #take(buyerId: string, { line, variant, product, sale: asResolved }: Resolved, now: number): Promise<NewItem> {
    const sale = asResolved && (await this.#inventory.sale(asResolved.id));
    if (sale) {
      const already = await this.#inventory.boughtInSale(sale.id, buyerId);
      if (already + line.quantity > sale.perBuyerLimit) {
        throw new AppError('conflict', `This sale allows ${sale.perBuyerLimit} per buyer${already ? `; you already have ${already}` : ''}.`, {
          reason: 'per_buyer_limit',
          limit: sale.perBuyerLimit,
          held: already
        });
      }
      await this.#inventory.takeSale(sale, line.quantity, now);
      if (sale.sold + line.quantity >= sale.quantity) await this.#soldOut(product.ownerId, sale, now);
    }
    await this.#inventory.take(variant.id, line.quantity);
    const title = variant.name ? `${product.title} (${variant.name})` : product.title;
    return { productId: product.id, variantId: variant.id, saleId: sale?.id ?? null, title, unitPrice: salePrice(variant.price ?? product.price, sale), quantity: line.quantity };
  }
}

interface Resolved {
  line: Line;
  variant: VariantRow;
  product: ProductRow;
  sale: FlashSaleRow | null;
  showId: string | null;
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
