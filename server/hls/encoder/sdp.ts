/**
 * The SDP FFmpeg reads to receive a consumer's RTP: one media section per
 * stream, on the port FFmpeg binds (RTCP on port + 1, RFC 3550 §11).
 */

export interface SdpMedia {
  kind: 'audio' | 'video';
  port: number;
  payloadType: number;
  /** As mediasoup names it, e.g. `video/VP8`, `audio/opus`. */
  mimeType: string;
  clockRate: number;
  channels?: number;
  /** Codec parameters for the fmtp line, e.g. H.264's packetization-mode. */
  parameters?: Readonly<Record<string, unknown>>;
}

/**
 * The fmtp parameters FFmpeg's depacketizers and decoders read, by codec; the rest (the host's
 * own, mediasoup's x-google-*) say nothing to FFmpeg and are left out of its description.
 */
const FMTP_FOR_FFMPEG: Readonly<Record<string, readonly string[]>> = {
  h264: ['packetization-mode', 'profile-level-id', 'level-asymmetry-allowed'],
  vp8: ['max-fr', 'max-fs'],
  vp9: ['profile-id', 'max-fr', 'max-fs'],
  opus: ['useinbandfec', 'usedtx', 'stereo', 'sprop-stereo', 'maxplaybackrate', 'sprop-maxcapturerate', 'maxaveragebitrate', 'minptime', 'ptime', 'cbr']
};

/** What a value may hold: anything else could end the line and start an attribute of its own. */
const SAFE_VALUE = /^[A-Za-z0-9.:/_-]*$/;

function fmtp(codec: string, parameters: Readonly<Record<string, unknown>>): string {
  const known = FMTP_FOR_FFMPEG[codec.toLowerCase()] ?? [];
  return known
    .filter((name) => typeof parameters[name] === 'string' || typeof parameters[name] === 'number')
    .map((name) => {
      const value = String(parameters[name]);
      if (!SAFE_VALUE.test(value)) throw new RangeError(`bad ${codec} parameter ${name}`);
      return `${name}=${value}`;
    })
    .join(';');
}

export function renderSdp(media: readonly SdpMedia[], ip = '127.0.0.1'): string {
  const lines = ['v=0', `o=- 0 0 IN IP4 ${ip}`, 's=hawker-hls', `c=IN IP4 ${ip}`, 't=0 0'];
  for (const m of media) {
    if (!Number.isInteger(m.port) || m.port < 1 || m.port > 65534) throw new RangeError(`bad RTP port ${m.port}`);
    if (!Number.isInteger(m.payloadType) || m.payloadType < 0 || m.payloadType > 127) throw new RangeError(`bad payload type ${m.payloadType}`);
    if (!Number.isInteger(m.clockRate) || m.clockRate < 1) throw new RangeError(`bad clock rate ${m.clockRate}`);
    if (m.channels !== undefined && (!Number.isInteger(m.channels) || m.channels < 1)) throw new RangeError(`bad channel count ${m.channels}`);
    const [, codec] = m.mimeType.split('/');
    if (!codec || !/^[A-Za-z0-9._-]+$/.test(codec)) throw new RangeError(`bad MIME type ${m.mimeType}`);
    const encoding = m.channels && m.channels > 1 ? `${codec}/${m.clockRate}/${m.channels}` : `${codec}/${m.clockRate}`;
    lines.push(`m=${m.kind} ${m.port} RTP/AVP ${m.payloadType}`, `a=rtpmap:${m.payloadType} ${encoding}`);
    const params = fmtp(codec, m.parameters ?? {});
    if (params) lines.push(`a=fmtp:${m.payloadType} ${params}`);
    lines.push('a=recvonly');
  }
  return lines.join('\r\n') + '\r\n';
}
