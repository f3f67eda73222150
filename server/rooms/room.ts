import type { types } from 'mediasoup';
import { AppError } from '../errors.ts';
import { TypedEmitter } from '../events.ts';
import { logger, type Logger } from '../log.ts';
import { mediaCodecs } from '../sfu/media-codecs.ts';
import { applyLayers } from '../sfu/layer-selection.ts';
import { viewerServer } from '../sfu/worker-pool.ts';
import { WorkerSeats } from '../sfu/worker-seats.ts';
import type { ConsumerInfo, NotificationName, Notifications, TransportInfo } from '#shared/protocol.ts';
import type { Config } from '../config.ts';
import type { Peer, TransportDirection } from './peer.ts';
import { fanoutDelivery } from '../metrics/fanout-delivery.ts';
import { Fanout } from './fanout.ts';
import { isPiped, ShowRouters, type Seating } from './show-routers.ts';

export interface RoomEvents extends Record<string, unknown[]> {
  /** The room closed; `mediaLost` means its mediasoup worker died and clients should rejoin. */
  closed: [reason: 'ended' | 'mediaLost' | 'shutdown' | 'idle'];
  peerCountChanged: [count: number];
  /** A producer became available (host published, or a server-side source). */
  producerAdded: [producer: types.Producer];
}

type RtcConfig = Config['mediasoup'];

const TRANSPORT_DEFAULTS = { enableUdp: true, enableTcp: true, preferUdp: true, initialAvailableOutgoingBitrate: 1_000_000 };

/** Turns a room's own viewers into the show's: the same number on one node, the sum over nodes in a cluster. */
export type ViewerTotal = (showId: string, here: number) => Promise<number>;

const viewersHere: ViewerTotal = (_showId, here) => Promise.resolve(here);

/** The viewer's consumers have no worker that may take them: it watches over LL-HLS instead. */
export function liveVideoFull(): AppError {
  return new AppError('at_capacity', 'Live video is full for this show; watch over HLS.');
}

/**
 * Everyone in one show: its routers (see ShowRouters), the peers attached to them and the producers
 * viewers consume (the host's, the server-side demo source's, or another node's piped in).
 */
export class Room extends TypedEmitter<RoomEvents> {
  readonly showId: string;
  readonly router: types.Router;
  readonly worker: types.Worker;
  readonly #rtc: RtcConfig;
  readonly #peers = new Map<string, Peer>();
  readonly #producers = new Map<string, types.Producer>();
  readonly #log: Logger;
  /** Bursty room-wide events (bids), serialized once and coalesced per tick. */
  readonly fanout = new Fanout({
    targets: () => this.#peers.values(),
    // Bigger audiences coalesce over longer ticks: frames sent = peers × ticks per second.
    tickMs: () => (this.#peers.size > 1000 ? 50 : 20),
    delivered: (seconds, clients) => fanoutDelivery.observe(seconds, clients)
  });
  /** What only the studio shows (its sales counters), coalesced the same way: a drop's orders cost viewers nothing. */
  readonly studioFanout = new Fanout({
    targets: () => this.#hosts(),
    tickMs: () => 20
  });
  readonly #viewerTotal: ViewerTotal;
  readonly #routers: ShowRouters;
  readonly #seating: Seating;
  #closed = false;
  #countTimer: NodeJS.Timeout | null = null;
  #viewersTold = -1;

  /** Without `seating` every viewer sits on the room's own worker. */
  static async create(opts: { showId: string; worker: types.Worker; rtc: RtcConfig; viewerTotal?: ViewerTotal; seating?: Seating }): Promise<Room> {
    const router = await opts.worker.createRouter({ mediaCodecs });
    const seating = opts.seating ?? { workers: () => [opts.worker], seats: new WorkerSeats() };
    return new Room(opts.showId, opts.worker, router, opts.rtc, opts.viewerTotal ?? viewersHere, seating);
  }

  private constructor(showId: string, worker: types.Worker, router: types.Router, rtc: RtcConfig, viewerTotal: ViewerTotal, seating: Seating) {
    super();
    this.showId = showId;
    this.worker = worker;
    this.router = router;
    this.#rtc = rtc;
    this.#viewerTotal = viewerTotal;
    this.#seating = seating;
    this.#log = logger('room').child({ show: showId });
    this.#routers = new ShowRouters({ origin: router, worker, producers: () => this.#producers.values(), lost: (r) => this.#spreadLost(r) });
    router.observer.on('close', () => {
      // A router closed underneath us means its worker died.
      if (!this.#closed) this.close('mediaLost');
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  get peerCount(): number {
    return this.#peers.size;
  }

  /** How many workers carry the show's viewers (the origin's included). */
  get workerCount(): number {
    return this.#routers.size;
  }

  get producerCount(): number {
    return this.#producers.size;
  }

  /** Producers published on this node, not piped in from the show's origin on another. */
  *localProducers(): Generator<types.Producer> {
    for (const p of this.#producers.values()) if (!isPiped(p)) yield p;
  }

  /** True while a producer of this node's own is in the room: the show is published here. */
  get hasLocalProducers(): boolean {
    return !this.localProducers().next().done;
  }

  get viewerCount(): number {
    let n = 0;
    for (const p of this.#peers.values()) if (p.role === 'viewer') n++;
    return n;
  }

  peers(): IterableIterator<Peer> {
    return this.#peers.values();
  }

  producers(): IterableIterator<types.Producer> {
    return this.#producers.values();
  }

  join(peer: Peer): void {
    this.#assertOpen();
    if (peer.role === 'host') {
      // One publishing host per show: a second studio tab takes over from the first.
      for (const other of this.#peers.values()) if (other.role === 'host') other.close();
    }
    this.#peers.set(peer.id, peer);
    peer.once('closed', () => {
      this.#peers.delete(peer.id);
      this.#log.debug({ peer: peer.id }, 'peer left');
      this.#peerCountChanged();
    });
    this.#log.debug({ peer: peer.id, role: peer.role }, 'peer joined');
    this.#peerCountChanged();
  }

  /** Viewer counts go out at most once a second, not once per join, so a join storm stays O(n). */
  #peerCountChanged(): void {
    this.emit('peerCountChanged', this.#peers.size);
    if (this.#countTimer || this.#closed) return;
    this.#countTimer = setTimeout(() => {
      this.#countTimer = null;
      this.countViewers();
    }, 1000);
  }

  /**
   * Tells everyone the show's viewer count: after joins and leaves (a peer that just joined learns it), and in a
   * cluster on a timer too, `ifChanged`, for other nodes' viewers.
   */
  countViewers(opts: { ifChanged?: boolean } = {}): void {
    if (this.#closed) return;
    void this.#viewerTotal(this.showId, this.viewerCount).then((count) => {
      if (this.#closed || (opts.ifChanged && count === this.#viewersTold)) return;
      this.#viewersTold = count;
      this.broadcast('viewerCount', { count });
    }, () => {});
  }

  *#hosts(): Generator<Peer> {
    for (const p of this.#peers.values()) if (p.role === 'host') yield p;
  }

  /** Tells every peer at the next turn, serialized once and in slices (see Fanout). */
  broadcast<N extends NotificationName>(name: N, data: Notifications[N]): void {
    this.fanout.now({ notification: name, data });
  }

  async createTransport(peer: Peer, direction: TransportDirection): Promise<TransportInfo> {
    this.#assertOpen();
    if (direction === 'send' && peer.role !== 'host') {
      throw new AppError('forbidden', 'Only the show’s host can publish media.');
    }
    // One transport per direction per peer: each holds media ports, a scarce resource.
    if (!peer.claimTransport(direction)) throw new AppError('conflict', `A ${direction} transport already exists.`);
    let transport: types.WebRtcTransport;
    let unseat = () => {};
    try {
      if (direction === 'recv') {
        const worker = this.#seating.seats.choose(this.#seating.workers(), (w) => this.#routers.has(w));
        if (!worker) throw liveVideoFull();
        unseat = this.#seating.seats.seat(worker);
        const router = await this.#routers.on(worker);
        transport = await router.createWebRtcTransport({ ...TRANSPORT_DEFAULTS, appData: { direction }, webRtcServer: viewerServer(worker) });
        peer.seat = { worker, router };
        peer.once('closed', unseat);
      } else {
        transport = await this.#sendTransport();
      }
    } catch (err) {
      unseat();
      throw err;
    } finally {
      peer.releaseClaim(direction);
    }
    if (peer.closed) {
      transport.close();
      throw new AppError('invalid_state', 'You left the show.');
    }
    peer.transports.set(transport.id, transport);
    transport.observer.on('close', () => peer.transports.delete(transport.id));
    if (direction === 'recv') {
      await transport.enableTraceEvent(['bwe']);
      transport.on('trace', (trace) => {
        if (trace.type !== 'bwe') return;
        const info = trace.info as { availableBitrate?: number };
        if (typeof info.availableBitrate === 'number') {
          peer.availableBitrate = info.availableBitrate;
          applyLayers(peer);
        }
      });
    }
    return {
      id: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
      iceServers: this.#rtc.iceServers
    };
  }

  /**
   * Viewers' transports share their worker's WebRtcServer port, so any number fit; a host's
   * broadcast gets a port of its own from the range, on the origin router.
   */
  async #sendTransport(): Promise<types.WebRtcTransport> {
    const { listenIp, announcedAddress, minPort, maxPort } = this.#rtc;
    const listen = (protocol: 'udp' | 'tcp') => ({ protocol, ip: listenIp, announcedAddress, portRange: { min: minPort, max: maxPort } });
    try {
      return await this.router.createWebRtcTransport({ ...TRANSPORT_DEFAULTS, appData: { direction: 'send' }, listenInfos: [listen('udp'), listen('tcp')] });
    } catch (err) {
      if (!(err instanceof Error) || !/no more available ports/i.test(err.message)) throw err;
      this.#log.warn({ minPort, maxPort }, 'media ports for broadcasts exhausted');
      throw new AppError('at_capacity', 'The media server has no free port for another broadcast right now; try again shortly.');
    }
  }

  async connectTransport(peer: Peer, transportId: string, dtlsParameters: types.DtlsParameters): Promise<void> {
    await peer.transport(transportId).connect({ dtlsParameters });
  }

  async produce(
    peer: Peer,
    transportId: string,
    kind: types.MediaKind,
    rtpParameters: types.RtpParameters
  ): Promise<string> {
    this.#assertOpen();
    if (peer.role !== 'host') throw new AppError('forbidden', 'Only the show’s host can publish media.');
    const transport = peer.transport(transportId);
    if (transport.appData.direction !== 'send') throw new AppError('bad_request', 'That transport does not send.');
    for (const p of peer.producers.values()) {
      if (p.kind === kind) throw new AppError('conflict', `Already publishing ${kind}; switch the track instead.`);
    }
    const producer = await transport.produce({ kind, rtpParameters });
    if (peer.closed) {
      producer.close();
      throw new AppError('invalid_state', 'You left the show.');
    }
    peer.producers.set(producer.id, producer);
    producer.observer.on('close', () => peer.producers.delete(producer.id));
    this.addProducer(producer);
    return producer.id;
  }

  /**
   * Makes a producer available to every viewer (the host's, a server-side source's or another node's);
   * viewers hear of it once it is piped to the router each sits on.
   */
  addProducer(producer: types.Producer): void {
    this.#producers.set(producer.id, producer);
    producer.observer.on('close', () => this.#producers.delete(producer.id));
    this.#log.info({ producer: producer.id, kind: producer.kind }, 'producer added');
    this.emit('producerAdded', producer);
    void this.#routers.pipe(producer).then(() => {
      if (this.#closed || producer.closed) return;
      for (const p of this.#peers.values()) {
        if (p.role === 'viewer') p.notify('newProducer', { producerId: producer.id, kind: producer.kind });
      }
    });
  }

  closeProducer(peer: Peer, producerId: string): void {
    const producer = peer.producers.get(producerId);
    if (!producer) throw new AppError('not_found', 'No such producer.');
    producer.close();
  }

  /** Consumers for every producer the peer does not consume yet; video starts paused until resumed. */
  async consume(peer: Peer, rtpCapabilities: types.RtpCapabilities): Promise<ConsumerInfo[]> {
    this.#assertOpen();
    const transport = peer.recvTransport();
    if (!transport || !peer.seat) throw new AppError('invalid_state', 'Create a receive transport first.');
    const { worker, router } = peer.seat;
    // Producers added since the viewer sat down are piped to its router first.
    await this.#routers.on(worker);
    const created: ConsumerInfo[] = [];
    for (const producer of [...this.#producers.values()]) {
      if (peer.consumesProducer(producer.id) || peer.producers.has(producer.id) || producer.closed) continue;
      if (!router.canConsume({ producerId: producer.id, rtpCapabilities })) {
        throw new AppError('bad_request', 'This browser cannot decode the show’s media.');
      }
      if (this.#seating.seats.full(worker)) throw liveVideoFull();
      const consumer = await transport.consume({
        producerId: producer.id,
        rtpCapabilities,
        paused: producer.kind === 'video',
        enableRtx: true,
        ignoreDtx: true
      });
      if (peer.closed) {
        consumer.close();
        throw new AppError('invalid_state', 'You left the show.');
      }
      peer.consumers.set(consumer.id, consumer);
      const release = this.#seating.seats.consumed(worker);
      consumer.observer.on('close', () => {
        release();
        peer.consumers.delete(consumer.id);
      });
      consumer.on('producerclose', () => {
        consumer.close();
        peer.notify('consumerClosed', { consumerId: consumer.id });
      });
      consumer.on('layerschange', (layers) => {
        peer.notify('consumerLayersChanged', { consumerId: consumer.id, spatialLayer: layers?.spatialLayer ?? null });
      });
      created.push({ id: consumer.id, producerId: producer.id, kind: consumer.kind, rtpParameters: consumer.rtpParameters });
    }
    applyLayers(peer);
    return created;
  }

  async resumeConsumer(peer: Peer, consumerId: string): Promise<void> {
    const consumer = peer.consumers.get(consumerId);
    if (!consumer) throw new AppError('not_found', 'No such consumer.');
    try {
      await consumer.resume();
    } catch (err) {
      // Its producer went away meanwhile (the host stopped a track): the client was told, or will be.
      if (consumer.closed || (err instanceof Error && err.name === 'NotFoundError')) throw new AppError('not_found', 'That stream has ended.');
      throw err;
    }
  }

  setViewport(peer: Peer, height: number): number {
    peer.viewportHeight = height;
    return applyLayers(peer);
  }

  close(reason: RoomEvents['closed'][0]): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#countTimer) clearTimeout(this.#countTimer);
    // What the room was told last (a show's end) reaches its peers before they leave.
    this.fanout.flush();
    this.fanout.close();
    this.studioFanout.close();
    for (const p of [...this.#peers.values()]) {
      if (reason === 'mediaLost') p.notify('mediaReset', { showId: this.showId });
      p.close();
    }
    this.#routers.close();
    this.router.close();
    this.#log.info({ reason }, 'room closed');
    this.emit('closed', reason);
  }

  /** A worker carrying some of the show's viewers died: they rejoin, onto the workers left. */
  #spreadLost(router: types.Router): void {
    this.#log.warn('a worker carrying viewers died; they rejoin');
    for (const p of [...this.#peers.values()]) {
      if (p.seat?.router !== router) continue;
      p.notify('mediaReset', { showId: this.showId });
      p.close();
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new AppError('invalid_state', 'This room has closed.');
  }
}
