import type { RoomRegistry } from '../rooms/room-registry.ts';
import { deliver, type RoomMessage } from './room-message.ts';

/** Carries room messages to every room that hears them: this node's alone, or every node's. */
export interface RoomBus {
  publish(message: RoomMessage): void;
  /** False when no room can hear the show: a publisher then skips reading what nobody would get. */
  mayHear(showId: string): boolean;
  close(): Promise<void>;
}

/** One node: a message goes straight to this node's rooms. */
export class LocalRoomBus implements RoomBus {
  readonly #rooms: RoomRegistry;
  readonly #hostOf: (showId: string) => Promise<string | null>;

  /** `hostOf` names a show's host, for what every room of a shop hears; null for a show that is gone. */
  constructor(rooms: RoomRegistry, hostOf: (showId: string) => Promise<string | null>) {
    this.#rooms = rooms;
    this.#hostOf = hostOf;
  }

  publish(message: RoomMessage): void {
    if ('showId' in message) {
      // A room still opening gets the message once it is up; a room that failed to open gets nothing.
      void this.#rooms.find(message.showId)?.then((room) => deliver(room, message), () => {});
      return;
    }
    for (const room of this.#rooms.openRooms()) void this.#hostOf(room.showId).then((hostId) => hostId === message.hostId && !room.closed && deliver(room, message), () => {});
  }

  mayHear(showId: string): boolean {
    return this.#rooms.find(showId) !== undefined;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
