import type { AuctionEvent } from '#shared/auctions.ts';
import type { ChatMessageDto } from '#shared/chat.ts';
import type { NotificationName, Notifications } from '#shared/protocol.ts';
import type { Room } from '../rooms/room.ts';

/** A notification as it travels: its name and the payload that name takes. */
type Note = { [N in NotificationName]: { notification: N; data: Notifications[N] } }[NotificationName];

/**
 * What a committed change tells the rooms that hear it, as plain data: it crosses nodes as JSON.
 * `now` goes out at the next turn (what a person did); `append` keeps every item, coalesced per
 * tick; `latest` keeps the newest value per key (`studio`: to the host's peers only); `close`
 * ends the room. Rooms are named by show, or by host for what every room of a shop hears.
 */
export type RoomMessage =
  | { showId: string; op: 'now'; note: Note }
  | { showId: string; op: 'append'; key: string; list: AppendList; committedAt?: number }
  | { showId: string; op: 'latest'; key: string; note: Note; studio?: true }
  | { showId: string; op: 'close' }
  | { hostId: string; op: 'latest'; key: string; note: Note }
  | { hostId: string; op: 'toHosts'; note: Note };

/** The append-only lists a room coalesces: a lot's auction events and the chat. */
export type AppendList = { kind: 'auctionEvents'; lotId: string; items: AuctionEvent[] } | { kind: 'chat'; items: ChatMessageDto[] };

/** Applies a message to one of this node's rooms. */
export function deliver(room: Room, message: RoomMessage): void {
  switch (message.op) {
    case 'now':
      return room.fanout.now(message.note);
    case 'latest':
      return ('studio' in message ? room.studioFanout : room.fanout).latest(message.key, message.note);
    case 'close':
      return room.close('ended');
    case 'toHosts':
      for (const peer of room.peers()) if (peer.role === 'host') peer.notify(message.note.notification, message.note.data as never);
      return;
    case 'append': {
      const list = message.list;
      if (list.kind === 'chat') return room.fanout.append<ChatMessageDto>(message.key, list.items, (messages) => ({ notification: 'chat', data: { messages } }), message.committedAt);
      const lotId = list.lotId;
      return room.fanout.append<AuctionEvent>(message.key, list.items, (events) => ({ notification: 'auctionEvents', data: { lotId, events } }), message.committedAt);
    }
  }
}
