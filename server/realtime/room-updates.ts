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
import type { Captions } from '../captions/captions.ts';
import type { RoomBus } from './room-bus.ts';
import type { RoomMessage } from './room-message.ts';
import { logger } from '../log.ts';

const log = logger('room-updates');

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
  captions: Captions;
}

/**
 * The one path from the domains to the rooms: it subscribes to their typed events
 * and turns them into room messages on the bus. Auction events and chat messages are
 * appended (coalesced per tick, all kept); stock, poll tallies, coupon counts and each
 * utterance's caption keep the latest per tick; what a person did (overlay, lots, chat settings, show status)
 * goes out at once. Each message is published once, by the node where the change was
 * committed; the bus carries it to the rooms of this node or of every node.
 */
export class RoomUpdates {
  readonly #bus: RoomBus;

  constructor(bus: RoomBus, from: RoomUpdateSources) {
    this.#bus = bus;
    const { shows, auctions, overlay, purchases, catalog, coupons, orders, chat, hearts, follows, captions } = from;
    const send = (message: RoomMessage) => this.#bus.publish(message);

    const ended = (showId: string) => {
      send({ showId, op: 'now', note: { notification: 'showStatus', data: { showId, status: 'ended' } } });
      send({ showId, op: 'close' });
    };
    shows.on('statusChanged', (showId, status) =>
      status === 'ended' ? ended(showId) : send({ showId, op: 'now', note: { notification: 'showStatus', data: { showId, status } } })
    );
    shows.on('removed', (showId) => ended(showId));

    // Emitted right after the commit: the fan-out histogram times delivery from then, on every node.
    auctions.on('events', (showId, lotId, events) =>
      send({ showId, op: 'append', key: `lot:${lotId}`, list: { kind: 'auctionEvents', lotId, items: events }, committedAt: Date.now() })
    );
    auctions.on('lotChanged', (showId, lot) => send({ showId, op: 'now', note: { notification: 'lotChanged', data: { lot } } }));

    overlay.on('changed', (showId, state) => send({ showId, op: 'now', note: { notification: 'overlay', data: state } }));
    overlay.on('pollResults', (showId, pollId, votes) =>
      send({ showId, op: 'latest', key: `poll:${pollId}`, note: { notification: 'pollResults', data: { pollId, votes } } })
    );

    purchases.on('stock', (showId, levels) => {
      // Reading the levels costs a query per buy: skipped when no room hears the show.
      if (!this.#bus.mayHear(showId)) return;
      levels()
        .then((updates) => {
          for (const u of updates) send({ showId, op: 'latest', key: `stock:${u.productId}`, note: { notification: 'stock', data: u } });
        })
        .catch((err: unknown) => log.error({ err, show: showId }, 'reading stock levels failed'));
    });
    catalog.on('stock', (showIds, u) => {
      for (const showId of showIds) send({ showId, op: 'latest', key: `stock:${u.productId}`, note: { notification: 'stock', data: u } });
    });
    coupons.on('claimed', (showId, coupon) =>
      send({ showId, op: 'latest', key: `coupon:${coupon.id}`, note: { notification: 'couponRemaining', data: { couponId: coupon.id, remaining: coupon.remaining } } })
    );

    const salesChanged = (showId: string | null) =>
      showId && send({ showId, op: 'latest', key: 'sales', note: { notification: 'salesChanged', data: { showId } }, studio: true });
    orders.on('created', (o) => salesChanged(o.showId));
    orders.on('paid', (o) => salesChanged(o.showId));
    orders.on('lapsed', (o) => salesChanged(o.showId));

    chat.on('message', (showId, message) => send({ showId, op: 'append', key: `chat:${showId}`, list: { kind: 'chat', items: [message] }, committedAt: Date.now() }));
    chat.on('deleted', (showId, messageId) => send({ showId, op: 'now', note: { notification: 'chatDeleted', data: { messageId } } }));
    chat.on('settings', (showId, settings) => send({ showId, op: 'now', note: { notification: 'chatSettings', data: settings } }));
    hearts.on('burst', (showId, count, total) => send({ showId, op: 'now', note: { notification: 'hearts', data: { count, total } } }));

    // A shop's follower count goes to its host's open rooms; who followed goes to the studio alone.
    follows.on('changed', ({ hostId, follower, following, followers }) => {
      send({ hostId, op: 'latest', key: `followers:${hostId}`, note: { notification: 'followers', data: { hostId, count: followers } } });
      if (following) send({ hostId, op: 'toHosts', note: { notification: 'newFollower', data: { follower } } });
    });

    // Keyed by utterance: a tick keeps an utterance's newest text (its final replaces its interims); every utterance goes out.
    captions.on('cue', (showId, cue) => send({ showId, op: 'latest', key: `caption:${cue.id}`, note: { notification: 'captions', data: { cue } } }));
  }
}
