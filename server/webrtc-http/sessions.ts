import { randomBytes } from 'node:crypto';
import type { types } from 'mediasoup';
import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';
import { logger } from '../log.ts';
import type { Peer } from '../rooms/peer.ts';

export type SessionKind = 'whip' | 'whep';

const log = logger('webrtc-http');

/** A session that has not connected by then, or has lost its connection that long, is ended. */
const CONNECT_TIMEOUT_MS = 30_000;

/**
 * One WHIP or WHEP session: an HTTP resource (its URL, its entity tag) over a room peer and its one
 * WebRtcTransport. It ends when the client DELETEs it, its connection fails or stays down, the peer
 * leaves the room (the room closed, a studio took over), or its stream key was replaced.
 */
export class HttpSession {
  readonly id = newId();
  readonly kind: SessionKind;
  readonly showId: string;
  readonly address: string;
  readonly peer: Peer;
  readonly transport: types.WebRtcTransport;
  /** The sections the answer took, for an ICE restart's fragment. */
  readonly mids: string[];
  /** The client's ICE username fragment: a PATCH with another one restarts ICE. */
  remoteUfrag: string;
  etag = newEtag();
  #timer: NodeJS.Timeout | null = null;

  constructor(opts: { kind: SessionKind; showId: string; address: string; peer: Peer; transport: types.WebRtcTransport; mids: string[]; remoteUfrag: string }) {
    this.kind = opts.kind;
    this.showId = opts.showId;
    this.address = opts.address;
    this.peer = opts.peer;
    this.transport = opts.transport;
    this.mids = opts.mids;
    this.remoteUfrag = opts.remoteUfrag;
    this.#arm();
    this.transport.on('icestatechange', (state) => (state === 'disconnected' ? this.#arm() : state === 'connected' || state === 'completed' ? this.#disarm() : undefined));
    this.transport.on('dtlsstatechange', (state) => {
      if (state === 'failed' || state === 'closed') this.close();
    });
    this.transport.observer.once('close', () => this.close());
    this.peer.once('closed', () => this.#disarm());
  }

  get closed(): boolean {
    return this.peer.closed;
  }

  /** Ends the session: the peer leaves the room, its transport and what it produced or consumed close. */
  close(): void {
    this.#disarm();
    this.peer.close();
  }

  /** A new ICE password and username on the server's end; the entity tag changes with them. */
  async restartIce(remoteUfrag: string): Promise<types.IceParameters> {
    const ice = await this.transport.restartIce();
    this.remoteUfrag = remoteUfrag;
    this.etag = newEtag();
    this.#arm();
    return ice;
  }

  #arm(): void {
    this.#disarm();
    this.#timer = setTimeout(() => {
      log.info({ show: this.showId, session: this.id, kind: this.kind }, 'session ended: no ICE connection');
      this.close();
    }, CONNECT_TIMEOUT_MS);
    this.#timer.unref();
  }

  #disarm(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}

function newEtag(): string {
  return `"${randomBytes(12).toString('base64url')}"`;
}

/** Open sessions by kind and id; a closed one leaves by itself. Caps how many one address holds. */
export class SessionRegistry {
  readonly #sessions = new Map<string, HttpSession>();
  readonly #perAddress: number;

  constructor(opts: { perAddress: number }) {
    this.#perAddress = opts.perAddress;
  }

  /** Throws when `address` already holds as many sessions of the kind as it may. */
  assertRoomFor(kind: SessionKind, address: string): void {
    let n = 0;
    for (const s of this.#sessions.values()) if (s.kind === kind && s.address === address) n++;
    if (n >= this.#perAddress) throw new AppError('rate_limited', `Too many open ${kind.toUpperCase()} sessions from this address; end one first.`);
  }

  add(session: HttpSession): void {
    this.#sessions.set(session.id, session);
    session.peer.once('closed', () => this.#sessions.delete(session.id));
  }

  get(kind: SessionKind, showId: string, id: string): HttpSession {
    const s = this.#sessions.get(id);
    if (!s || s.kind !== kind || s.showId !== showId || s.closed) throw new AppError('not_found', 'No such session; it may have ended.');
    return s;
  }

  *ofShow(kind: SessionKind, showId: string): Generator<HttpSession> {
    for (const s of this.#sessions.values()) if (s.kind === kind && s.showId === showId) yield s;
  }

  closeAll(): void {
    for (const s of [...this.#sessions.values()]) s.close();
  }
}
