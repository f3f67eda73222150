/**
 * Where the time goes: averages from WebRTC's own statistics over every peer connection of a page
 * (the host's send path; the viewers' or the baseline's receive path), to tell the SFU's share from
 * the browsers'. The init script records each RTCPeerConnection a page creates.
 */
import type { Page } from '@playwright/test';

export const recordPeerConnections = {
  content: `(() => {
    const Native = window.RTCPeerConnection;
    const all = (window.__peerConnections = []);
    window.RTCPeerConnection = class extends Native {
      constructor(...args) { super(...args); all.push(this); }
    };
  })();`
};

export interface PathStats {
  /** Sending: encode ms per frame, pacer ms per packet, why quality was limited (by rid). Receiving: jitter buffer and decode ms per frame. */
  [figure: string]: number | string;
}

/**
 * Per-frame averages since the streams began, over the page's video streams in `direction`: all of
 * them, only the baseline's connection (`window.__baseline`), or all but it.
 */
export function pathStats(page: Page, direction: 'outbound' | 'inbound', which: 'all' | 'baseline' | 'sfu' = 'all'): Promise<PathStats> {
  return page.evaluate(async ({ direction, which }) => {
    const w = window as unknown as { __peerConnections: RTCPeerConnection[]; __baseline?: RTCPeerConnection };
    const pcs = w.__peerConnections.filter((pc) => pc.connectionState !== 'closed');
    const chosen = which === 'baseline' ? pcs.filter((pc) => pc === w.__baseline) : which === 'sfu' ? pcs.filter((pc) => pc !== w.__baseline) : pcs;
    const sums: Record<string, number> = {};
    const add = (k: string, v: unknown) => typeof v === 'number' && (sums[k] = (sums[k] ?? 0) + v);
    const out: Record<string, number | string> = {};
    for (const pc of chosen) {
      for (const s of (await pc.getStats()).values()) {
        if (s.type !== `${direction}-rtp`) continue;
        if (s.kind === 'audio') {
          if (direction === 'inbound') add('audioJb', s.jitterBufferDelay), add('audioJbCount', s.jitterBufferEmittedCount);
          continue;
        }
        if (direction === 'outbound') {
          const rid = s.rid ?? 'single';
          add(`${rid}.encode`, s.totalEncodeTime);
          add(`${rid}.frames`, s.framesEncoded);
          add(`${rid}.pacer`, s.totalPacketSendDelay);
          add(`${rid}.packets`, s.packetsSent);
          // A layer the encoder dropped (e.g. for bandwidth) has no size now.
          out[`${rid}_size`] = s.frameWidth ? `${s.frameWidth}x${s.frameHeight}@${s.framesPerSecond ?? 0}` : 'off';
          out[`${rid}_limited_by`] = s.qualityLimitationReason;
        } else {
          add('jb', s.jitterBufferDelay);
          add('jbCount', s.jitterBufferEmittedCount);
          add('decode', s.totalDecodeTime);
          add('processing', s.totalProcessingDelay);
          add('frames', s.framesDecoded);
        }
      }
    }
    const ms = (a: string, b: string) => Math.round(((sums[a] ?? 0) / (sums[b] || 1)) * 10000) / 10;
    if (direction === 'inbound') {
      Object.assign(out, { jitter_buffer_ms: ms('jb', 'jbCount'), decode_ms: ms('decode', 'frames'), receive_to_decoded_ms: ms('processing', 'frames') });
      if (sums.audioJbCount) out.audio_jitter_buffer_ms = ms('audioJb', 'audioJbCount');
    } else {
      for (const k of Object.keys(sums)) {
        const rid = k.split('.')[0]!;
        out[`${rid}_encode_ms`] = ms(`${rid}.encode`, `${rid}.frames`);
        out[`${rid}_pacer_ms`] = ms(`${rid}.pacer`, `${rid}.packets`);
      }
    }
    return out;
  }, { direction, which });
}
