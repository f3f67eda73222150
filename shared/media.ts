/** How a viewer receives the show: WebRTC through the SFU, or LL-HLS when the SFU is full or the viewer chose it. */
export const mediaModes = ['webrtc', 'hls'] as const;
export type MediaMode = (typeof mediaModes)[number];

export interface SimulcastLayer {
  /** The encoding's RTP stream id, as the host's browser sends it. */
  rid: string;
  /** How far the host's browser scales the camera down for this layer (1 = full size). */
  scaleResolutionDownBy: number;
  /** Height of the layer in pixels when the source is at full size (720p). */
  height: number;
  /** The bitrate the layer is encoded at, in bits per second. */
  maxBitrate: number;
}

/**
 * The host publishes these three layers (quarter, half, full resolution) and the SFU
 * picks one per viewer from the same table, so both sides agree on sizes and bitrates.
 */
export const SIMULCAST_LAYERS: readonly SimulcastLayer[] = [
  { rid: 'r0', scaleResolutionDownBy: 4, height: 180, maxBitrate: 150_000 },
  { rid: 'r1', scaleResolutionDownBy: 2, height: 360, maxBitrate: 500_000 },
  { rid: 'r2', scaleResolutionDownBy: 1, height: 720, maxBitrate: 1_500_000 }
];
