/**
 * The bench page: many viewers in one page, each on its own ws connection running the room's own
 * Viewer (join, transport, consume, resume, viewport report → the SFU's layer choice) or, over
 * LL-HLS, the room's own HlsPlayer, each drawing into a small <video> whose frames
 * `window.__timestamps` (timestamp-reader.browser.js) reads. Also the receiving end of the
 * browser-to-browser baseline. Bundled by page-bundle.ts; driven from the bench over `window.bench`.
 */
import { RealtimeClient } from '$lib/realtime/realtime-client';
import { Viewer } from '$lib/media/viewer.svelte';
import { HlsPlayer } from '$lib/media/hls-player.svelte';

interface Tally {
  latencies: number[];
  stalls: number;
  seeks: number;
}
interface Seat {
  tally: Tally;
  /** Over LL-HLS: the player's own distance behind the live edge, sampled twice a second (ms). */
  behindLive: number[];
  state(): string;
  /** A WebRTC viewer the room's own fallback policy moved to LL-HLS (no video within its deadline). */
  fellBack(): boolean;
}

declare global {
  interface Window {
    __timestamps: { watch(video: HTMLVideoElement): Tally };
    /** The baseline's connection, told apart from the viewers' in peer-stats.ts. */
    __baseline?: RTCPeerConnection;
    bench: typeof bench;
  }
}

/** Tiles this small make the server send the smallest simulcast layer and hls.js the smallest rendition, as to a thumbnail. */
const TILE_WIDTH = 64;
const TILE_HEIGHT = 36;

function tile(): HTMLVideoElement {
  const video = document.createElement('video');
  video.muted = true;
  video.autoplay = true;
  video.playsInline = true;
  video.style.cssText = `width:${TILE_WIDTH}px;height:${TILE_HEIGHT}px;object-fit:contain;background:#000`;
  document.body.append(video);
  return video;
}

/** One WebRTC viewer, wired as the room page wires its Viewer to its <video>. */
function webRtcSeat(showId: string): Seat {
  const viewer = new Viewer(showId, new RealtimeClient(), 'live');
  const video = tile();
  let reportedFor: MediaStream | null = null;
  // The room page does this in effects; polling keeps this page free of a component tree.
  setInterval(() => {
    if (video.srcObject !== viewer.stream) {
      video.srcObject = viewer.stream;
      void video.play().catch(() => {});
    }
    if (viewer.phase === 'live' && viewer.stream && reportedFor !== viewer.stream) {
      reportedFor = viewer.stream;
      viewer.reportViewport(video.clientHeight * devicePixelRatio);
    }
  }, 100);
  return { tally: window.__timestamps.watch(video), behindLive: [], state: () => `${viewer.mode}/${viewer.phase} ${video.videoWidth}x${video.videoHeight}`, fellBack: () => viewer.mode === 'hls' };
}

/**
 * One LL-HLS viewer: joined to the room in HLS mode (as `?mode=hls` does) and playing the show's
 * playlist from `hlsBase` (this page's server when empty, as the room page plays it).
 */
function hlsSeat(showId: string, hlsBase: string): Seat {
  const viewer = new Viewer(showId, new RealtimeClient(), 'live', { mode: 'hls' });
  const video = tile();
  const player = new HlsPlayer(video);
  void player.load(`${hlsBase}/hls/${showId}/master.m3u8`);
  const behindLive: number[] = [];
  setInterval(() => {
    if (player.latencySeconds !== null) behindLive.push(player.latencySeconds * 1000);
  }, 500);
  return { tally: window.__timestamps.watch(video), behindLive, state: () => `${viewer.mode}/${player.fatalError ?? (video.readyState >= 2 ? 'playing' : 'loading')}`, fellBack: () => false };
}

const seats: Seat[] = [];
let baseline: Tally | null = null;

const bench = {
  add(showId: string, count: number, mode: 'webrtc' | 'hls', hlsBase: string): void {
    for (let i = 0; i < count; i++) seats.push(mode === 'hls' ? hlsSeat(showId, hlsBase) : webRtcSeat(showId));
  },
  /** How many viewers have decoded at least `frames` frames, how many fell back, and the states of the others. */
  progress(frames: number): { ready: number; fellBack: number; waiting: string[] } {
    const fellBack = seats.filter((s) => s.fellBack()).length;
    const waiting = seats.filter((s) => !s.fellBack() && s.tally.latencies.length < frames).map((s) => s.state());
    return { ready: seats.length - fellBack - waiting.length, fellBack, waiting };
  },
  /** Everything measured since the last call, per viewer, and the baseline's latencies. */
  take(): { viewers: { fellBack: boolean; latencies: number[]; stalls: number; seeks: number; behindLive: number[]; state: string }[]; baseline: number[] } {
    const viewers = seats.map((s) => {
      const out = { fellBack: s.fellBack(), latencies: s.tally.latencies.splice(0), stalls: s.tally.stalls, seeks: s.tally.seeks, behindLive: s.behindLive.splice(0), state: s.state() };
      s.tally.stalls = 0;
      s.tally.seeks = 0;
      return out;
    });
    return { viewers, baseline: baseline?.latencies.splice(0) ?? [] };
  },
  /** The receiving peer of the direct browser-to-browser baseline: answers the sender's offer (ICE gathered, loopback). */
  async answerBaseline(offer: string): Promise<string> {
    const pc = new RTCPeerConnection();
    window.__baseline = pc;
    const video = tile();
    pc.ontrack = ({ receiver, streams }) => {
      // As the room's Viewer does: play frames as soon as they decode.
      (receiver as RTCRtpReceiver & { jitterBufferTarget?: number }).jitterBufferTarget = 0;
      if (video.srcObject === streams[0]) return;
      video.srcObject = streams[0]!;
      void video.play().catch(() => {});
    };
    baseline = window.__timestamps.watch(video);
    await pc.setRemoteDescription({ type: 'offer', sdp: offer });
    await pc.setLocalDescription(await pc.createAnswer());
    await iceGathered(pc);
    return pc.localDescription!.sdp;
  }
};

function iceGathered(pc: RTCPeerConnection): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve()));
}

window.bench = bench;
