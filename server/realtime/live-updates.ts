import type { RoomRegistry } from '../rooms/room-registry.ts';
import type { Catalog } from '../commerce/catalog.ts';
import type { Inventory } from '../commerce/inventory.ts';
import type { Purchases } from '../commerce/purchases.ts';
import type { Coupons } from '../commerce/coupons.ts';
import type { OverlayState, StockUpdate } from '../../shared/commerce.ts';

/**
 * Pushes commerce changes to the show's room: overlay changes at once (the host
 * acted), stock levels and poll tallies coalesced per tick, latest value wins.
 */
export class LiveUpdates {
  readonly #rooms: RoomRegistry;
  readonly #catalog: Catalog;
  readonly #inventory: Inventory;

  constructor(opts: { rooms: RoomRegistry; catalog: Catalog; inventory: Inventory; purchases: Purchases; coupons: Coupons }) {
    this.#rooms = opts.rooms;
    this.#catalog = opts.catalog;
    this.#inventory = opts.inventory;
    opts.purchases.on('stockChanged', (showId, productIds, saleIds) => {
      if (showId) this.#stock(showId, productIds, saleIds);
    });
    opts.coupons.on('claimed', (showId, coupon) => {
      void this.#rooms.find(showId)?.then((room) =>
        room.fanout.latest(`coupon:${coupon.id}`, { notification: 'couponRemaining', data: { couponId: coupon.id, remaining: coupon.remaining } })
      );
    });
  }

  overlay(showId: string, state: OverlayState): void {
    void this.#rooms.find(showId)?.then((room) => room.broadcast('overlay', state));
  }

  pollResults(showId: string, pollId: string, votes: number[]): void {
    void this.#rooms.find(showId)?.then((room) => room.fanout.latest(`poll:${pollId}`, { notification: 'pollResults', data: { pollId, votes } }));
  }

  #stock(showId: string, productIds: string[], saleIds: string[]): void {
    const room = this.#rooms.find(showId);
    if (!room) return;
    const sales = new Map(saleIds.map((id) => [id, this.#inventory.sale(id)]));
    const updates: StockUpdate[] = this.#catalog.many(productIds).map((p) => {
      const sale = [...sales.values()].find((s) => s.productId === p.id);
      return { productId: p.id, variants: p.variants.map((v) => ({ id: v.id, stock: v.stock })), sale: sale ? { id: sale.id, remaining: sale.quantity - sale.sold } : null };
    });
    void room.then((r) => {
      for (const u of updates) r.fanout.latest(`stock:${u.productId}`, { notification: 'stock', data: u });
    });
  }
}
