/**
 * Picks the simulcast layer a viewer should receive. Two limits apply and the
 * lower wins: the size the video is drawn at (no point sending 640 rows into a
 * 180-row tile) and the bandwidth the server estimates toward that viewer.
 */
import type { types } from 'mediasoup';
import { SIMULCAST_LAYERS, type SimulcastLayer } from '#shared/media.ts';

/** Headroom so the chosen layer does not sit exactly at the estimate. */
const BANDWIDTH_HEADROOM = 0.85;

export function chooseSpatialLayer(opts: {
  viewportHeight: number | null;
  availableBitrate: number | null;
  layers?: readonly SimulcastLayer[];
}): number {
  const layers = opts.layers ?? SIMULCAST_LAYERS;
  const top = layers.length - 1;

  let bySize = top;
  if (opts.viewportHeight !== null && opts.viewportHeight > 0) {
    // The smallest layer at least as tall as the viewport; else the top one.
    const i = layers.findIndex((l) => l.height >= opts.viewportHeight!);
    bySize = i < 0 ? top : i;
  }

  let byBandwidth = top;
  if (opts.availableBitrate !== null) {
    const budget = opts.availableBitrate * BANDWIDTH_HEADROOM;
    byBandwidth = 0;
    for (let i = 0; i <= top; i++) if (layers[i]!.maxBitrate <= budget) byBandwidth = i;
  }

  return Math.min(bySize, byBandwidth);
}

/** Sends a viewer the layer its viewport and bandwidth call for, on each of its simulcast video consumers; returns it. */
export function applyLayers(viewer: { viewportHeight: number | null; availableBitrate: number | null; consumers: Map<string, types.Consumer> }): number {
  const spatialLayer = chooseSpatialLayer(viewer);
  for (const c of viewer.consumers.values()) {
    if (c.kind === 'video' && c.type === 'simulcast' && !c.closed) void c.setPreferredLayers({ spatialLayer, temporalLayer: 2 }).catch(() => {});
  }
  return spatialLayer;
}
