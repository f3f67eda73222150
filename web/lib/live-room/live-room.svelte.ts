import { RealtimeClient } from '$lib/realtime/realtime-client';
import { ServerClock } from '$lib/realtime/server-clock.svelte';
import { AuctionRoom } from '$lib/auctions/auction-room.svelte';
import { LiveOverlay } from '$lib/commerce/live-overlay.svelte';
import { ChatRoom } from '$lib/chat/chat-room.svelte';

/** The media part of a page (Viewer or Publisher): it joins the show itself, in its own role. */
export interface RoomMedia {
  /** Whether it joins when the socket opens; if not, the room reads its snapshots without a join. */
  readonly joinsOnOpen: boolean;
  close(): void;
}

/** `joined`: the first successful join; `rejoined`: every later one (a dropped socket, a media reset, a retry). */
export type LiveRoomEvent = 'joined' | 'rejoined';

/** What a page shows before (or without) joining: an ended show's last lot, the studio before going live. */
export type UnjoinedSnapshot = 'auction' | 'overlay' | 'chat';

/**
 * One show as this browser sees it: the realtime client and everything riding on it (server clock,
 * auction, overlay, chat), plus the page's media part. Room-wide notifications flow only after a join,
 * so each join reads every snapshot once; a connection that does not join reads the page's
 * `unjoined` snapshots once instead.
 */
export class LiveRoom {
  readonly client: RealtimeClient;
  readonly clock: ServerClock;
  readonly auction: AuctionRoom;
  readonly overlay: LiveOverlay;
  readonly chat: ChatRoom;
  readonly #showId: string;
  readonly #unjoined: readonly UnjoinedSnapshot[];
  readonly #listeners = { joined: new Set<() => void>(), rejoined: new Set<() => void>() };
  readonly #unsubscribe: (() => void)[];
  #media: RoomMedia | null = null;
  #everJoined = false;
  /** Snapshots were read on this connection (by a join or without one). */
  #readThisConnection = false;
  #closed = false;

  constructor(opts: { showId: string; userId: string | null; unjoined?: readonly UnjoinedSnapshot[]; client?: RealtimeClient }) {
    this.#showId = opts.showId;
    this.#unjoined = opts.unjoined ?? [];
    this.client = opts.client ?? new RealtimeClient();
    this.clock = new ServerClock(this.client);
    this.auction = new AuctionRoom(opts.showId, this.client, opts.userId);
    this.overlay = new LiveOverlay(opts.showId, this.client);
    this.chat = new ChatRoom(opts.showId, this.client);
    this.#unsubscribe = [
      this.client.onOpen(() => this.#opened()),
      this.client.onJoin((showId, ok) => {
        if (showId === this.#showId) this.#settled(ok);
      })
    ];
  }

  /** Plugs in the page's Viewer or Publisher; the room closes it with everything else. */
  attach<M extends RoomMedia>(media: M): M {
    this.#media = media;
    return media;
  }

  on(event: LiveRoomEvent, listener: () => void): () => void {
    this.#listeners[event].add(listener);
    return () => this.#listeners[event].delete(listener);
  }

  /** Closes the media part, the room's state and the socket, once. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const u of this.#unsubscribe) u();
    this.#media?.close();
    this.chat.close();
    this.overlay.close();
    this.auction.close();
    this.clock.close();
    this.client.close();
  }

  #opened(): void {
    this.#readThisConnection = false;
    if (!this.#media?.joinsOnOpen) this.#readUnjoined();
  }

  #settled(ok: boolean): void {
    if (!ok) {
      // A refused join (the media server is restarting) still shows what the page can show unjoined.
      if (!this.#readThisConnection) this.#readUnjoined();
      return;
    }
    this.#readThisConnection = true;
    void this.auction.refresh().catch(() => {});
    void this.overlay.refresh().catch(() => {});
    void this.chat.refresh().catch(() => {});
    const event: LiveRoomEvent = this.#everJoined ? 'rejoined' : 'joined';
    this.#everJoined = true;
    for (const l of this.#listeners[event]) l();
  }

  #readUnjoined(): void {
    this.#readThisConnection = true;
    if (this.#unjoined.includes('auction')) void this.auction.refresh().catch(() => {});
    if (this.#unjoined.includes('overlay')) void this.overlay.refresh().catch(() => {});
    if (this.#unjoined.includes('chat')) void this.chat.refresh().catch(() => {});
  }
}
