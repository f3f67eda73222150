import type { types } from 'mediasoup-client';
import type { ShowStatus } from '$shared/shows';
import type { ConsumerInfo } from '$shared/protocol';
import type { Device } from 'mediasoup-client';
import { openTransport } from './open-transport';
import type { SignalingClient } from '$lib/realtime/signaling-client';

export type ViewerPhase = 'connecting' | 'waiting' | 'live' | 'ended' | 'reconnecting' | 'failed';
export type MediaMode = 'webrtc' | 'hls';
/** How long WebRTC may take to show video before the viewer falls back to LL-HLS. */
const WEBRTC_DEADLINE_MS = 6000;

/**
 * A buyer watching a show over WebRTC. Every time the signalling socket opens (first
 * connect, a dropped socket, or a media server restart) it joins from scratch.
 */
export class Viewer {
  phase = $state<ViewerPhase>('connecting');
  stream = $state<MediaStream | null>(null);
  viewerCount = $state(0);
  error = $state<string | null>(null);
  /** WebRTC (sub-second) or LL-HLS (the fallback); `modeReason` says why. */
  mode = $state<MediaMode>('webrtc');
  modeReason = $state<'capacity' | 'timeout' | 'chosen' | null>(null);

  readonly #showId: string;
  #deadline: ReturnType<typeof setTimeout> | undefined;
  readonly #signaling: SignalingClient;
  #device: Device | null = null;
  #transport: types.Transport | null = null;
  #consumers = new Map<string, types.Consumer>();
  #unsubscribe: (() => void)[] = [];
  #session = 0;
  #showStatus: ShowStatus;

  /** `mode` 'hls' starts on LL-HLS as the viewer's choice (e.g. a link with `?mode=hls`), never opening WebRTC. */
  constructor(showId: string, signaling: SignalingClient, initialStatus: ShowStatus, opts: { mode?: MediaMode } = {}) {
    this.#showId = showId;
    this.#signaling = signaling;
    this.#showStatus = initialStatus;
    if (initialStatus === 'ended') this.phase = 'ended';
    if (opts.mode === 'hls') {
      this.mode = 'hls';
      this.modeReason = 'chosen';
    }
    this.#unsubscribe.push(
      signaling.onState((s) => {
        if (s === 'reconnecting' && this.phase !== 'ended') this.phase = 'reconnecting';
      }),
      signaling.onOpen(() => void this.#join()),
      signaling.on('newProducer', () => void this.#consumeAll()),
      signaling.on('consumerClosed', ({ consumerId }) => this.#dropConsumer(consumerId)),
      signaling.on('showStatus', ({ status }) => this.#onStatus(status)),
      signaling.on('mediaReset', () => void this.#join()),
      signaling.on('viewerCount', ({ count }) => (this.viewerCount = count))
    );
  }

  /** Tells the server how tall the video is drawn so it can pick the simulcast layer. */
  reportViewport(heightPx: number): void {
    if (this.#transport) void this.#signaling.request('setViewport', { width: 0, height: Math.round(heightPx) }).catch(() => {});
  }

  /** The viewer picks a mode; WebRTC reconnects media, LL-HLS drops it. */
  setMode(mode: MediaMode): void {
    this.mode = mode;
    this.modeReason = 'chosen';
    if (mode === 'hls') {
      this.#session++;
      this.#teardown();
      this.#followShowOverHls();
    } else void this.#join();
  }

  close(): void {
    clearTimeout(this.#deadline);
    for (const u of this.#unsubscribe) u();
    this.#teardown();
  }

  #fallBack(reason: 'capacity' | 'timeout'): void {
    this.mode = 'hls';
    this.modeReason = reason;
    this.#teardown();
    this.#followShowOverHls();
  }

  /** Over LL-HLS the picture comes from the show's stream, not from the host's producers: live means the show is live. */
  #followShowOverHls(): void {
    if (this.phase !== 'ended') this.phase = this.#showStatus === 'live' ? 'live' : 'waiting';
  }

  async #join(): Promise<void> {
    if (this.phase === 'ended') return;
    const session = ++this.#session;
    this.#teardown();
    try {
      const joined = await this.#signaling.request('join', { showId: this.#showId, role: 'viewer' });
      if (session !== this.#session) return;
      this.#showStatus = joined.showStatus;
      if (joined.showStatus === 'ended') return this.#onStatus('ended');
      if (joined.mediaMode === 'hls' && this.modeReason !== 'chosen') return this.#fallBack('capacity');
      // Still joined (bids, drops and chat flow the same); only media comes over HLS.
      if (this.mode === 'hls') return this.#followShowOverHls();
      const opened = await openTransport({ signaling: this.#signaling, routerRtpCapabilities: joined.routerRtpCapabilities, direction: 'recv', stale: () => session !== this.#session });
      if (!opened) return;
      const { device, transport } = opened;
      transport.on('connectionstatechange', (state) => {
        if (state === 'failed' && session === this.#session) {
          if (this.modeReason === 'chosen') this.phase = 'failed';
          else this.#fallBack('timeout');
        }
      });
      this.#device = device;
      this.#transport = transport;
      this.phase = joined.showStatus === 'live' && joined.producerCount > 0 ? 'connecting' : 'waiting';
      clearTimeout(this.#deadline);
      if (this.phase === 'connecting' && this.modeReason !== 'chosen') {
        this.#deadline = setTimeout(() => {
          if (session === this.#session && this.phase !== 'live') this.#fallBack('timeout');
        }, WEBRTC_DEADLINE_MS);
      }
      await this.#consumeAll();
    } catch (err) {
      if (session !== this.#session) return;
      this.error = err instanceof Error ? err.message : String(err);
      if (this.#signaling.state === 'open') this.phase = 'failed';
    }
  }

  async #consumeAll(): Promise<void> {
    const device = this.#device;
    const transport = this.#transport;
    if (!device || !transport) return;
    const { consumers } = await this.#signaling.request('consume', { rtpCapabilities: device.rtpCapabilities as never });
    for (const c of consumers) await this.#addConsumer(transport, c);
  }

  async #addConsumer(transport: types.Transport, info: ConsumerInfo): Promise<void> {
    const consumer = await transport.consume({
      id: info.id,
      producerId: info.producerId,
      kind: info.kind,
      rtpParameters: info.rtpParameters as types.RtpParameters
    });
    // Play frames as soon as they decode: this room is about being in sync with the host.
    const receiver = consumer.rtpReceiver as (RTCRtpReceiver & { jitterBufferTarget?: number }) | undefined;
    if (receiver && 'jitterBufferTarget' in receiver) receiver.jitterBufferTarget = 0;
    this.#consumers.set(consumer.id, consumer);
    await this.#signaling.request('resumeConsumer', { consumerId: consumer.id });
    this.#rebuildStream();
    this.phase = 'live';
  }

  #dropConsumer(consumerId: string): void {
    const c = this.#consumers.get(consumerId);
    if (!c) return;
    c.close();
    this.#consumers.delete(consumerId);
    this.#rebuildStream();
    if (this.#consumers.size === 0 && this.phase === 'live') this.phase = 'waiting';
  }

  #rebuildStream(): void {
    const tracks = [...this.#consumers.values()].map((c) => c.track);
    this.stream = tracks.length ? new MediaStream(tracks) : null;
  }

  #onStatus(status: ShowStatus): void {
    this.#showStatus = status;
    if (status === 'ended') {
      this.phase = 'ended';
      this.#session++;
      this.#teardown();
    } else if (this.mode === 'hls') {
      this.#followShowOverHls();
    } else if (status === 'live' && this.phase === 'waiting') {
      void this.#consumeAll();
    }
  }

  #teardown(): void {
    for (const c of this.#consumers.values()) c.close();
    this.#consumers.clear();
    this.#transport?.close();
    this.#transport = null;
    this.#device = null;
    this.stream = null;
  }
}
