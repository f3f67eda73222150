import type { RoomRegistry } from '../rooms/room-registry.ts';
import type { Catalog } from '../commerce/catalog.ts';
import type { Inventory } from '../commerce/inventory.ts';
import type { Purchases } from '../commerce/purchases.ts';
import type { Coupons } from '../commerce/coupons.ts';
import type { Chat } from '../chat/chat.ts';
import type { Hearts } from '../chat/hearts.ts';
import type { ChatMessageDto } from '#shared/chat.ts';
import type { OverlayState, StockUpdate } from '#shared/commerce.ts';

/**
 * Pushes domain changes to the show's room: overlay and chat-setting changes at
 * once (a person acted), chat messages coalesced per tick (all kept), stock levels,
 * poll tallies and coupon counts coalesced per tick (latest wins).
 */
export class LiveUpdates {
  readonly #rooms: RoomRegistry;
  readonly #catalog: Catalog;
  readonly #inventory: Inventory;

  constructor(opts: { rooms: RoomRegistry; catalog: Catalog; inventory: Inventory; purchases: Purchases; coupons: Coupons; chat: Chat; hearts: Hearts }) {
    this.#rooms = opts.rooms;
    this.#catalog = opts.catalog;
    this.#inventory = opts.inventory;
    opts.purchases.on('stockChanged', (showId, productIds, saleIds) => {
      if (showId) this.#stock(showId, productIds, saleIds);
    });
    opts.chat.on('message', (showId, message) => {
      void this.#rooms.find(showId)?.then((room) =>
        room.fanout.append<ChatMessageDto>(`chat:${showId}`, [message], (messages) => ({ notification: 'chat', data: { messages } }))
      );
    });
    opts.chat.on('deleted', (showId, messageId) => void this.#rooms.find(showId)?.then((room) => room.broadcast('chatDeleted', { messageId })));
    opts.chat.on('settings', (showId, settings) => void this.#rooms.find(showId)?.then((room) => room.broadcast('chatSettings', settings)));
    opts.hearts.on('burst', (showId, count, total) => void this.#rooms.find(showId)?.then((room) => room.broadcast('hearts', { count, total })));
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
