import type { RoomRegistry } from '../rooms/room-registry.ts';
import type { Room } from '../rooms/room.ts';
import type { Shows } from '../shows/shows.ts';
import type { Auctions } from '../auctions/auctions.ts';
import type { Overlay } from '../overlay/overlay.ts';
import type { Purchases } from '../commerce/purchases.ts';
import type { Catalog } from '../commerce/catalog.ts';
import type { Coupons } from '../commerce/coupons.ts';
import type { Orders } from '../commerce/orders.ts';
import type { Chat } from '../chat/chat.ts';
import type { Hearts } from '../chat/hearts.ts';
import type { Follows } from '../follows/follows.ts';
import type { AuctionEvent } from '#shared/auctions.ts';
import type { ChatMessageDto } from '#shared/chat.ts';

/** The domains whose committed changes a show's audience sees live. */
export interface RoomUpdateSources {
  shows: Shows;
  auctions: Auctions;
  overlay: Overlay;
  purchases: Purchases;
  catalog: Catalog;
  coupons: Coupons;
  orders: Orders;
  chat: Chat;
  hearts: Hearts;
  follows: Follows;
}

/**
 * The one path from the domains to the rooms: it subscribes to their typed events
 * and turns them into room messages. Auction events and chat messages are appended
 * (coalesced per tick, all kept); stock, poll tallies and coupon counts keep the
 * latest per tick; what a person did (overlay, lots, chat settings, show status)
 * goes out at once. A show without an open room has no one to tell. Clustering
 * replaces this module with a bus; the domains stay as they are.
 */
export class RoomUpdates {
  readonly #rooms: RoomRegistry;

  constructor(rooms: RoomRegistry, from: RoomUpdateSources) {
    this.#rooms = rooms;
    const { shows, auctions, overlay, purchases, catalog, coupons, orders, chat, hearts, follows } = from;

    shows.on('statusChanged', (showId, status) =>
      this.#inRoom(showId, (room) => {
        room.broadcast('showStatus', { showId, status });
        if (status === 'ended') room.close('ended');
      })
    );
    shows.on('removed', (showId) =>
      this.#inRoom(showId, (room) => {
        room.broadcast('showStatus', { showId, status: 'ended' });
        room.close('ended');
      })
    );

    auctions.on('events', (showId, lotId, events) =>
      this.#inRoom(showId, (room) =>
        room.fanout.append<AuctionEvent>(`lot:${lotId}`, events, (all) => ({ notification: 'auctionEvents', data: { lotId, events: all } }))
      )
    );
    auctions.on('lotChanged', (showId, lot) => this.#inRoom(showId, (room) => room.broadcast('lotChanged', { lot })));

    overlay.on('changed', (showId, state) => this.#inRoom(showId, (room) => room.broadcast('overlay', state)));
    overlay.on('pollResults', (showId, pollId, votes) =>
      this.#inRoom(showId, (room) => room.fanout.latest(`poll:${pollId}`, { notification: 'pollResults', data: { pollId, votes } }))
    );

    purchases.on('stock', (showId, levels) =>
      this.#inRoom(showId, (room) => {
        for (const u of levels()) room.fanout.latest(`stock:${u.productId}`, { notification: 'stock', data: u });
      })
    );
    catalog.on('stock', (showIds, u) => {
      for (const showId of showIds) this.#inRoom(showId, (room) => room.fanout.latest(`stock:${u.productId}`, { notification: 'stock', data: u }));
    });
    coupons.on('claimed', (showId, coupon) =>
      this.#inRoom(showId, (room) =>
        room.fanout.latest(`coupon:${coupon.id}`, { notification: 'couponRemaining', data: { couponId: coupon.id, remaining: coupon.remaining } })
      )
    );

    const salesChanged = (showId: string | null) =>
      showId && this.#inRoom(showId, (room) => room.studioFanout.latest('sales', { notification: 'salesChanged', data: { showId } }));
    orders.on('created', (o) => salesChanged(o.showId));
    orders.on('paid', (o) => salesChanged(o.showId));
    orders.on('lapsed', (o) => salesChanged(o.showId));

    chat.on('message', (showId, message) =>
      this.#inRoom(showId, (room) =>
        room.fanout.append<ChatMessageDto>(`chat:${showId}`, [message], (messages) => ({ notification: 'chat', data: { messages } }))
      )
    );
    chat.on('deleted', (showId, messageId) => this.#inRoom(showId, (room) => room.broadcast('chatDeleted', { messageId })));
    chat.on('settings', (showId, settings) => this.#inRoom(showId, (room) => room.broadcast('chatSettings', settings)));
    hearts.on('burst', (showId, count, total) => this.#inRoom(showId, (room) => room.broadcast('hearts', { count, total })));

    // A shop's follower count goes to its host's open rooms; who followed goes to the studio alone.
    follows.on('changed', ({ hostId, follower, following, followers }) => {
      for (const room of this.#rooms.openRooms()) {
        if (this.#hostOf(shows, room.showId) !== hostId) continue;
        room.fanout.latest(`followers:${hostId}`, { notification: 'followers', data: { hostId, count: followers } });
        if (!following) continue;
        for (const peer of room.peers()) if (peer.role === 'host') peer.notify('newFollower', { follower });
      }
    });
  }

  /** Sends what every room has coalesced now (at shutdown, before the sockets close). */
  flush(): void {
    for (const room of this.#rooms.openRooms()) {
      room.fanout.flush();
      room.studioFanout.flush();
    }
  }

  /** A room may outlive its show (a scheduled show deleted while buyers wait): such a room has no host. */
  #hostOf(shows: Shows, showId: string): string | null {
    try {
      return shows.get(showId).host.id;
    } catch {
      return null;
    }
  }

  /** Runs `send` on the show's room once it is up; a room that failed to open gets nothing. */
  #inRoom(showId: string, send: (room: Room) => void): void {
    void this.#rooms.find(showId)?.then(send, () => {});
  }
}
