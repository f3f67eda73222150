import type { types } from 'mediasoup-client';
import { openTransport } from './open-transport';
import { isRetryable, RetrySchedule } from '$lib/realtime/retry-schedule';
import type { RealtimeClient } from '$lib/realtime/realtime-client';
import { SIMULCAST_LAYERS } from '$shared/media';

/** The shared layer table as the browser's encodings: the SFU picks among the same layers. */
const SIMULCAST_ENCODINGS: RTCRtpEncodingParameters[] = SIMULCAST_LAYERS.map(({ rid, scaleResolutionDownBy, maxBitrate }) => ({
  rid,
  scaleResolutionDownBy,
  maxBitrate
}));

export type PublisherPhase = 'idle' | 'publishing' | 'reconnecting' | 'failed';

/**
 * The host's side of the live path: local camera and microphone, and a send transport
 * that publishes them. Publishing resumes on its own after the socket or the media
 * server drops; switching camera swaps the track without renegotiating.
 */
export class Publisher {
  phase = $state<PublisherPhase>('idle');
  stream = $state<MediaStream | null>(null);
  viewerCount = $state(0);
  /** Why the last publish attempt failed, for the page to say through errorText. */
  error = $state<unknown>(null);
  videoPaused = $state(false);

  readonly #showId: string;
  readonly #client: RealtimeClient;
  #transport: types.Transport | null = null;
  #producers = new Map<'audio' | 'video', types.Producer>();
  #wantLive = false;
  #attempt = 0;
  #unsubscribe: (() => void)[] = [];
  readonly #retry = new RetrySchedule();

  constructor(showId: string, client: RealtimeClient) {
    this.#showId = showId;
    this.#client = client;
    this.#unsubscribe.push(
      client.onState((s) => {
        if (s === 'reconnecting' && this.#wantLive) this.phase = 'reconnecting';
      }),
      client.onOpen(() => {
        if (this.#wantLive) void this.#publish();
      }),
      client.on('mediaReset', () => {
        if (this.#wantLive) void this.#publish();
      }),
      client.on('viewerCount', ({ count }) => (this.viewerCount = count))
    );
  }

  /** Whether it joins the show when the socket opens: only once the host has gone live. */
  get joinsOnOpen(): boolean {
    return this.#wantLive;
  }

  /** Opens (or reopens) the chosen devices for the preview, keeping what is already open. */
  async openDevices(videoDeviceId?: string, audioDeviceId?: string): Promise<void> {
    const media = await navigator.mediaDevices.getUserMedia({
      video: { deviceId: videoDeviceId ? { exact: videoDeviceId } : undefined, width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } },
      audio: { deviceId: audioDeviceId ? { exact: audioDeviceId } : undefined, echoCancellation: true, noiseSuppression: true }
    });
    await this.#useTracks(media.getVideoTracks()[0] ?? null, media.getAudioTracks()[0] ?? null);
  }

  /** Stops (or resumes) sending video without ending the show, e.g. when moderation flags a frame. */
  setVideoPaused(paused: boolean): void {
    this.videoPaused = paused;
    const video = this.#producers.get('video');
    if (!video) return;
    if (paused) video.pause();
    else video.resume();
  }

  /** Publishes a stream the caller made (a canvas, a screen capture) instead of the camera. */
  async useStream(stream: MediaStream): Promise<void> {
    await this.#useTracks(stream.getVideoTracks()[0] ?? null, stream.getAudioTracks()[0] ?? null);
  }

  async start(): Promise<void> {
    this.#wantLive = true;
    await this.#publish();
  }

  stop(): void {
    this.#wantLive = false;
    this.#attempt++;
    this.#retry.cancel();
    this.#closeTransport();
    this.phase = 'idle';
  }

  close(): void {
    this.stop();
    for (const u of this.#unsubscribe) u();
    for (const t of this.stream?.getTracks() ?? []) t.stop();
    this.stream = null;
  }

  async #useTracks(video: MediaStreamTrack | null, audio: MediaStreamTrack | null): Promise<void> {
    const old = this.stream;
    // Swap tracks in place on live producers: viewers never see the stream stop.
    for (const [kind, track] of [['video', video], ['audio', audio]] as const) {
      const producer = this.#producers.get(kind);
      if (producer && track) await producer.replaceTrack({ track });
    }
    this.stream = new MediaStream([video, audio].filter((t): t is MediaStreamTrack => t !== null));
    for (const t of old?.getTracks() ?? []) if (t !== video && t !== audio) t.stop();
  }

  async #publish(): Promise<void> {
    const attempt = ++this.#attempt;
    this.#retry.cancel();
    this.#closeTransport();
    try {
      const stream = this.stream;
      if (!stream) throw new Error('Open a camera first.');
      const joined = await this.#client.request('join', { showId: this.#showId, role: 'host' });
      const opened = await openTransport({ client: this.#client, routerRtpCapabilities: joined.routerRtpCapabilities, direction: 'send', stale: () => attempt !== this.#attempt });
      if (!opened) return;
      const { device, transport } = opened;
      transport.on('produce', ({ kind, rtpParameters }, ok, fail) => {
        this.#client
          .request('produce', { transportId: transport.id, kind, rtpParameters: rtpParameters as never })
          .then(({ producerId }) => ok({ id: producerId }), fail);
      });
      transport.on('connectionstatechange', (state) => {
        if (state === 'failed' && attempt === this.#attempt) this.phase = 'failed';
      });
      this.#transport = transport;

      const video = stream.getVideoTracks()[0];
      const audio = stream.getAudioTracks()[0];
      if (video) {
        const vp8 = device.rtpCapabilities.codecs?.find((c) => c.mimeType.toLowerCase() === 'video/vp8');
        this.#producers.set('video', await transport.produce({
          track: video,
          zeroRtpOnPause: true,
          encodings: SIMULCAST_ENCODINGS,
          codecOptions: { videoGoogleStartBitrate: 1000 },
          codec: vp8,
          stopTracks: false
        }));
      }
      if (audio) {
        this.#producers.set('audio', await transport.produce({ track: audio, codecOptions: { opusStereo: false, opusDtx: true }, stopTracks: false }));
      }
      if (this.videoPaused) this.#producers.get('video')?.pause();
      if (attempt === this.#attempt) {
        this.phase = 'publishing';
        this.error = null;
        this.#retry.reset();
      }
    } catch (err) {
      if (attempt !== this.#attempt) return;
      this.error = err;
      if (this.#client.state !== 'open') return;
      // The media server is restarting: publish again once it is back, rather than leave the show dark.
      const retrying = isRetryable(err) && this.#retry.schedule(() => {
        if (this.#wantLive) void this.#publish();
      });
      this.phase = retrying ? 'reconnecting' : 'failed';
    }
  }

  #closeTransport(): void {
    for (const p of this.#producers.values()) p.close();
    this.#producers.clear();
    this.#transport?.close();
    this.#transport = null;
  }
}
