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

function fmtp(parameters: Readonly<Record<string, unknown>>): string {
  return Object.entries(parameters)
    .filter(([, v]) => typeof v === 'string' || typeof v === 'number')
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(';');
}

export function renderSdp(media: readonly SdpMedia[], ip = '127.0.0.1'): string {
  const lines = ['v=0', `o=- 0 0 IN IP4 ${ip}`, 's=hawker-hls', `c=IN IP4 ${ip}`, 't=0 0'];
  for (const m of media) {
    if (!Number.isInteger(m.port) || m.port < 1 || m.port > 65534) throw new RangeError(`bad RTP port ${m.port}`);
    if (!Number.isInteger(m.payloadType) || m.payloadType < 0 || m.payloadType > 127) throw new RangeError(`bad payload type ${m.payloadType}`);
    const [, codec] = m.mimeType.split('/');
    if (!codec || /[\s/]/.test(codec)) throw new RangeError(`bad MIME type ${m.mimeType}`);
    const encoding = m.channels && m.channels > 1 ? `${codec}/${m.clockRate}/${m.channels}` : `${codec}/${m.clockRate}`;
    lines.push(`m=${m.kind} ${m.port} RTP/AVP ${m.payloadType}`, `a=rtpmap:${m.payloadType} ${encoding}`);
    const params = fmtp(m.parameters ?? {});
    if (params) lines.push(`a=fmtp:${m.payloadType} ${params}`);
    lines.push('a=recvonly');
  }
  return lines.join('\r\n') + '\r\n';
}
