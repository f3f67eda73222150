import type { types } from 'mediasoup';
import { AppError } from '../errors.ts';
import { TypedEmitter } from '../events.ts';
import type { NotificationName, Notifications } from '#shared/protocol.ts';
import type { PublicUser } from '#shared/auth.ts';
import type { MediaMode } from '#shared/media.ts';

export type PeerRole = 'host' | 'viewer';
export type TransportDirection = 'send' | 'recv';
/** Sends one serialized frame to the peer's socket. */
export type SendText = (frame: string | Buffer) => void;

export interface PeerEvents extends Record<string, unknown[]> {
  closed: [];
}

/**
 * One browser connection inside a room: its transports and what it produces and consumes.
 * Closing a peer closes its transports, which closes their producers and consumers.
 */
export class Peer extends TypedEmitter<PeerEvents> {
  readonly id: string;
  readonly role: PeerRole;
  readonly user: PublicUser | null;
  readonly #send: SendText;
  readonly transports = new Map<string, types.WebRtcTransport>();
  readonly producers = new Map<string, types.Producer>();
  readonly consumers = new Map<string, types.Consumer>();
  /** Where the peer's receive transport is: the worker it was seated on and the show's router there. */
  seat: { worker: types.Worker; router: types.Router } | null = null;
  /** Rendered height of the viewer's video, from `setViewport`. */
  viewportHeight: number | null = null;
  /** Latest bandwidth estimate toward this peer, from the recv transport's BWE trace. */
  availableBitrate: number | null = null;
  /** How this peer receives the show: set at join, then as the viewer reports it (it falls back and returns). */
  mediaMode: MediaMode;
  readonly #opening = new Set<TransportDirection>();
  #closed = false;

  constructor(opts: { id: string; role: PeerRole; user: PublicUser | null; send: SendText; mediaMode?: MediaMode }) {
    super();
    this.id = opts.id;
    this.role = opts.role;
    this.user = opts.user;
    this.#send = opts.send;
    this.mediaMode = opts.mediaMode ?? 'webrtc';
  }

  notify<N extends NotificationName>(name: N, data: Notifications[N]): void {
    this.#send(JSON.stringify({ notification: name, data }));
  }

  /** Sends a frame serialized once for many peers (room-wide fan-out). */
  sendText(frame: string | Buffer): void {
    this.#send(frame);
  }

  get closed(): boolean {
    return this.#closed;
  }

  transport(id: string): types.WebRtcTransport {
    const t = this.transports.get(id);
    if (!t) throw new AppError('not_found', 'No such transport.');
    return t;
  }

  /**
   * Claims the peer's one transport of a direction before the awaits of creating it,
   * so concurrent requests cannot each create one. False when it exists or is being made.
   */
  claimTransport(direction: TransportDirection): boolean {
    if (this.#opening.has(direction)) return false;
    for (const t of this.transports.values()) if (t.appData.direction === direction) return false;
    this.#opening.add(direction);
    return true;
  }

  releaseClaim(direction: TransportDirection): void {
    this.#opening.delete(direction);
  }

  recvTransport(): types.WebRtcTransport | undefined {
    for (const t of this.transports.values()) if (t.appData.direction === 'recv') return t;
    return undefined;
  }

  consumesProducer(producerId: string): boolean {
    for (const c of this.consumers.values()) if (c.producerId === producerId) return true;
    return false;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const t of this.transports.values()) t.close();
    this.transports.clear();
    this.producers.clear();
    this.consumers.clear();
    this.emit('closed');
  }
}
