import type { types } from 'mediasoup-client';
import type { ShowStatus } from '$shared/shows';
import type { ConsumerInfo } from '$shared/protocol';
import type { MediaMode } from '$shared/media';
import type { Device } from 'mediasoup-client';
import { openTransport } from './open-transport';
import { isRetryable, RetrySchedule } from '$lib/realtime/retry-schedule';
import type { RealtimeClient } from '$lib/realtime/realtime-client';
import { errorCode } from '$lib/client-error';
import { afterFailure, afterJoin, afterTransportFailed, watchDeadline, type ModeReason, type ModeState } from './fallback-policy';

export type ViewerPhase = 'connecting' | 'waiting' | 'live' | 'ended' | 'reconnecting' | 'failed';
/** How long WebRTC may take to show video before the viewer falls back to LL-HLS. */
const WEBRTC_DEADLINE_MS = 6000;

/**
 * A buyer watching a show over WebRTC, or LL-HLS when WebRTC cannot carry it (see fallback-policy).
 * Every time the socket opens (first connect, a dropped socket, or a media server restart) it joins
 * from scratch, and after each join it tells the server which mode it watches in.
 */
export class Viewer {
  phase = $state<ViewerPhase>('connecting');
  stream = $state<MediaStream | null>(null);
  viewerCount = $state(0);
  /** The failure that stopped playback, for the page to say through errorText. */
  error = $state<unknown>(null);
  /** WebRTC (sub-second) or LL-HLS (the fallback); `modeReason` says why. */
  mode = $state<MediaMode>('webrtc');
  modeReason = $state<ModeReason>(null);

  readonly #showId: string;
  #deadline: ReturnType<typeof setTimeout> | undefined;
  readonly #client: RealtimeClient;
  #device: Device | null = null;
  #transport: types.Transport | null = null;
  #consumers = new Map<string, types.Consumer>();
  #unsubscribe: (() => void)[] = [];
  #attempt = 0;
  /** Joined on this attempt; the server keeps the reported mode per join, so each join reports afresh. */
  #joined = false;
  #reported: MediaMode | null = null;
  #showStatus: ShowStatus;
  readonly #retry = new RetrySchedule();

  /** `mode` 'hls' starts on LL-HLS as the viewer's choice (e.g. a link with `?mode=hls`), never opening WebRTC. */
  constructor(showId: string, client: RealtimeClient, initialStatus: ShowStatus, opts: { mode?: MediaMode } = {}) {
    this.#showId = showId;
    this.#client = client;
    this.#showStatus = initialStatus;
    if (initialStatus === 'ended') this.phase = 'ended';
    if (opts.mode === 'hls') this.#setMode({ mode: 'hls', reason: 'chosen' });
    this.#unsubscribe.push(
      client.onState((s) => {
        if (s !== 'reconnecting') return;
        // What the lost connection's attempt still has pending (its WebRTC deadline, a failing
        // transport) must not act on the rejoin: a deadline firing now would leave it on LL-HLS for good.
        this.#attempt++;
        clearTimeout(this.#deadline);
        this.#joined = false;
        if (this.phase !== 'ended') this.phase = 'reconnecting';
      }),
      client.onOpen(() => void this.#join()),
      client.on('newProducer', () => void this.#consumeAll(this.#attempt)),
      client.on('consumerClosed', ({ consumerId }) => this.#dropConsumer(consumerId)),
      client.on('showStatus', ({ status }) => this.#onStatus(status)),
      client.on('mediaReset', () => {
        if (this.phase !== 'ended' && this.mode === 'webrtc') this.phase = 'reconnecting';
        void this.#join();
      }),
      client.on('viewerCount', ({ count }) => (this.viewerCount = count))
    );
  }

  /** Whether it joins the show when the socket opens (an ended show is not joined). */
  get joinsOnOpen(): boolean {
    return this.phase !== 'ended';
  }

  /** Tells the server how tall the video is drawn so it can pick the simulcast layer. */
  reportViewport(heightPx: number): void {
    if (this.#transport) void this.#client.request('setViewport', { width: 0, height: Math.round(heightPx) }).catch(() => {});
  }

  /** The viewer picks a mode; WebRTC reconnects media, LL-HLS drops it. */
  setMode(mode: MediaMode): void {
    this.#setMode({ mode, reason: 'chosen' });
    this.#retry.reset();
    if (mode === 'hls') {
      this.#attempt++;
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
    this.#setMode({ mode: 'hls', reason });
    this.#teardown();
    this.#followShowOverHls();
  }

  /** Over LL-HLS the picture comes from the show's stream, not from the host's producers: live means the show is live. */
  #followShowOverHls(): void {
    if (this.phase !== 'ended') this.phase = this.#showStatus === 'live' ? 'live' : 'waiting';
  }

  async #join(): Promise<void> {
    if (this.phase === 'ended') return;
    const attempt = ++this.#attempt;
    this.#retry.cancel();
    this.#teardown();
    this.#joined = false;
    this.#reported = null;
    try {
      const joined = await this.#client.request('join', { showId: this.#showId, role: 'viewer' });
      if (attempt !== this.#attempt) return;
      this.#joined = true;
      this.#showStatus = joined.showStatus;
      const step = afterJoin(this.#modeState, joined);
      if (step === 'ended') return this.#onStatus('ended');
      if (step === 'fall-back') return this.#fallBack('capacity');
      this.#report();
      if (step === 'stay-on-hls') return this.#followShowOverHls();
      const opened = await openTransport({ client: this.#client, routerRtpCapabilities: joined.routerRtpCapabilities, direction: 'recv', stale: () => attempt !== this.#attempt });
      if (!opened) return;
      const { device, transport } = opened;
      transport.on('connectionstatechange', (state) => {
        if (state !== 'failed' || attempt !== this.#attempt) return;
        if (afterTransportFailed(this.#modeState) === 'failed') this.phase = 'failed';
        else this.#fallBack('timeout');
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
      if (watchDeadline(this.#modeState, expectMedia)) {
        this.#deadline = setTimeout(() => {
          if (attempt === this.#attempt && (this.mode === 'hls' || this.phase !== 'live')) this.#fallBack('timeout');
        }, WEBRTC_DEADLINE_MS);
      }
      await this.#consumeAll(attempt);
    } catch (err) {
      if (attempt === this.#attempt) this.#failed(err);
    }
  }

  /** A media request failed: act on what the fallback policy decides. */
  #failed(err: unknown): void {
    const step = afterFailure(this.#modeState, {
      code: errorCode(err),
      socketOpen: this.#client.state === 'open',
      retryable: isRetryable(err) && !this.#retry.exhausted,
      showLive: this.#showStatus === 'live'
    });
    if (step.kind === 'fall-back') return this.#fallBack('capacity');
    if (step.kind === 'wait') return;
    this.#teardown();
    this.#setMode(step.next);
    if (step.kind === 'retry') {
      this.#retry.schedule(() => void this.#join());
      if (this.mode === 'hls') this.#followShowOverHls();
      else this.phase = 'reconnecting';
      return;
    }
    this.error = err;
    // Out of retries while LL-HLS plays: stay there; the mode switch offers real time again.
    if (step.show === 'hls') this.#followShowOverHls();
    else if (step.show === 'failed') this.phase = 'failed';
  }

  async #consumeAll(attempt: number): Promise<void> {
    const device = this.#device;
    const transport = this.#transport;
    if (!device || !transport) return;
    try {
      const { consumers } = await this.#client.request('consume', { rtpCapabilities: device.rtpCapabilities as never });
      if (attempt !== this.#attempt) return;
      for (const c of consumers) await this.#addConsumer(transport, c);
    } catch (err) {
      if (attempt === this.#attempt) this.#failed(err);
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
    await this.#client.request('resumeConsumer', { consumerId: consumer.id });
    if (this.modeReason === 'recovering') this.#setMode({ mode: 'webrtc', reason: null });
    this.#rebuildStream();
    this.phase = 'live';
    clearTimeout(this.#deadline);
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
      this.#joined = false;
      this.#attempt++;
      this.#teardown();
    } else if (this.mode === 'hls') {
      this.#followShowOverHls();
    } else if (status === 'live' && this.phase === 'waiting') {
      void this.#consumeAll(this.#attempt);
    }
  }

  get #modeState(): ModeState {
    return { mode: this.mode, reason: this.modeReason };
  }

  #setMode(s: ModeState): void {
    this.mode = s.mode;
    this.modeReason = s.reason;
    this.#report();
  }

  /** Tells the server the mode once per join and change: the counter-bid window waits for LL-HLS viewers. */
  #report(): void {
    const mode = this.mode;
    if (!this.#joined || this.#reported === mode) return;
    this.#reported = mode;
    void this.#client.request('reportMediaMode', { mode }).catch(() => {
      if (this.#reported === mode) this.#reported = null;
    });
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
