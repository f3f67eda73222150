import type { types } from 'mediasoup-client';
import type { ShowStatus } from '$shared/shows';
import type { ConsumerInfo } from '$shared/protocol';
import type { MediaMode } from '$shared/media';
import type { Device } from 'mediasoup-client';
import { openTransport } from './open-transport';
import { isRetryable, RetrySchedule } from './retry-schedule';
import type { SignalingClient } from '$lib/realtime/signaling-client';

export type ViewerPhase = 'connecting' | 'waiting' | 'live' | 'ended' | 'reconnecting' | 'failed';
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
  /**
   * WebRTC (sub-second) or LL-HLS (the fallback); `modeReason` says why. `recovering`: the media
   * server is restarting, so LL-HLS carries the show until a WebRTC rejoin succeeds.
   */
  mode = $state<MediaMode>('webrtc');
  modeReason = $state<'capacity' | 'timeout' | 'chosen' | 'recovering' | null>(null);

  readonly #showId: string;
  #deadline: ReturnType<typeof setTimeout> | undefined;
  readonly #signaling: SignalingClient;
  #device: Device | null = null;
  #transport: types.Transport | null = null;
  #consumers = new Map<string, types.Consumer>();
  #unsubscribe: (() => void)[] = [];
  #session = 0;
  #showStatus: ShowStatus;
  readonly #retry = new RetrySchedule();

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
      signaling.on('newProducer', () => void this.#consumeAll(this.#session)),
      signaling.on('consumerClosed', ({ consumerId }) => this.#dropConsumer(consumerId)),
      signaling.on('showStatus', ({ status }) => this.#onStatus(status)),
      signaling.on('mediaReset', () => {
        if (this.phase !== 'ended' && this.mode === 'webrtc') this.phase = 'reconnecting';
        void this.#join();
      }),
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
    this.#retry.reset();
    if (mode === 'hls') {
      this.#session++;
      this.#teardown();
      this.#followShowOverHls();
    } else void this.#join();
  }

  /** "Try again" after the automatic retries gave up. */
  retry(): void {
    this.#retry.reset();
    this.error = null;
    this.phase = 'connecting';
    void this.#join();
  }

  close(): void {
    clearTimeout(this.#deadline);
    this.#retry.cancel();
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
    this.#retry.cancel();
    this.#teardown();
    try {
      const joined = await this.#signaling.request('join', { showId: this.#showId, role: 'viewer' });
      if (session !== this.#session) return;
      this.#showStatus = joined.showStatus;
      if (joined.showStatus === 'ended') return this.#onStatus('ended');
      if (joined.mediaMode === 'hls' && this.modeReason !== 'chosen') return this.#fallBack('capacity');
      // Still joined (bids, drops and chat flow the same); only media comes over HLS.
      if (this.mode === 'hls' && this.modeReason !== 'recovering') return this.#followShowOverHls();
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
      this.#retry.reset();
      this.error = null;
      const expectMedia = joined.showStatus === 'live' && joined.producerCount > 0;
      // While recovering, LL-HLS keeps playing until the first WebRTC track arrives.
      // A live show without media yet after a reset is its source coming back, not a host yet to start.
      const comingBack = joined.showStatus === 'live' && this.phase === 'reconnecting';
      if (this.modeReason !== 'recovering') this.phase = expectMedia ? 'connecting' : comingBack ? 'reconnecting' : 'waiting';
      clearTimeout(this.#deadline);
      if (expectMedia && this.modeReason !== 'chosen') {
        this.#deadline = setTimeout(() => {
          if (session === this.#session && (this.mode === 'hls' || this.phase !== 'live')) this.#fallBack('timeout');
        }, WEBRTC_DEADLINE_MS);
      }
      await this.#consumeAll(session);
    } catch (err) {
      if (session === this.#session) this.#failed(err);
    }
  }

  /**
   * A media request failed. A full SFU sends the viewer to LL-HLS; a restarting media server is
   * retried with backoff while LL-HLS carries a live show; when retries run out, "Try again" shows.
   */
  #failed(err: unknown): void {
    const code = (err as { code?: string }).code;
    if (code === 'at_capacity') return this.#fallBack('capacity');
    // A lost socket rejoins by itself when it reopens.
    if (code === 'disconnected' || this.#signaling.state !== 'open') return;
    this.#teardown();
    const message = err instanceof Error ? err.message : String(err);
    if (isRetryable(err) && this.#retry.schedule(() => void this.#join())) {
      if (this.#showStatus === 'live' && this.mode === 'webrtc') {
        this.mode = 'hls';
        this.modeReason = 'recovering';
      }
      if (this.mode === 'hls') this.#followShowOverHls();
      else this.phase = 'reconnecting';
      return;
    }
    this.error = message;
    if (this.modeReason === 'recovering') {
      // Out of retries while LL-HLS plays: stay there; the mode switch offers real time again.
      this.modeReason = 'timeout';
      this.#followShowOverHls();
    } else if (this.mode === 'webrtc' || this.modeReason === 'chosen') {
      this.phase = 'failed';
    }
  }

  async #consumeAll(session: number): Promise<void> {
    const device = this.#device;
    const transport = this.#transport;
    if (!device || !transport) return;
    try {
      const { consumers } = await this.#signaling.request('consume', { rtpCapabilities: device.rtpCapabilities as never });
      if (session !== this.#session) return;
      for (const c of consumers) await this.#addConsumer(transport, c);
    } catch (err) {
      if (session === this.#session) this.#failed(err);
    }
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
    if (this.modeReason === 'recovering') {
      this.mode = 'webrtc';
      this.modeReason = null;
    }
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
      void this.#consumeAll(this.#session);
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
