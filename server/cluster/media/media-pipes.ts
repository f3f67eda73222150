import type { Redis } from 'ioredis';
import type { Config } from '../../config.ts';
import type { RoomRegistry } from '../../rooms/room-registry.ts';
import { MediaOrigins, type MediaOrigin } from './media-origins.ts';
import { PipeOrigin } from './media-pipe-origin.ts';
import { PipeRelay } from './media-pipe-relay.ts';
import { RecentOrigins } from './recent-origins.ts';
import type { OwnerRequests } from '../owner-requests.ts';

export interface MediaPipes {
  origins: MediaOrigins;
  /** The HTTP address of the show's origin when that is another node: its LL-HLS is served there. */
  remoteHls: (showId: string) => Promise<string | null>;
  /** Shows piped in from other nodes, and pipes this node feeds to others. */
  pipes(): { in: number; out: number };
  close(): Promise<void>;
}

/**
 * One show's media on every node: the node a host publishes into is the show's origin; every other node
 * with viewers of it pipes its producers in over SRTP. Pipes listen in the node's media port range and
 * are announced at its CLUSTER_ADDRESS.
 */
export async function startMediaPipes(opts: {
  redis: Redis;
  requests: OwnerRequests;
  rooms: RoomRegistry;
  rtc: Config['mediasoup'];
  /** Where other nodes reach this one. */
  address: string;
  self: () => MediaOrigin;
}): Promise<MediaPipes> {
  const origins = await MediaOrigins.start(opts.redis, opts.self);
  const { listenIp, minPort, maxPort } = opts.rtc;
  const listen = { ip: listenIp, announcedAddress: opts.address, portRange: { min: minPort, max: maxPort } };
  const origin = new PipeOrigin({ rooms: opts.rooms, origins, requests: opts.requests, listen });
  const relay = new PipeRelay({ rooms: opts.rooms, origins, requests: opts.requests, listen });
  opts.rooms.setMediaReady((room) => relay.ready(room));
  const recent = new RecentOrigins((showId) => origins.of(showId));
  origins.on('changed', (showId) => recent.forget(showId));
  return {
    origins,
    remoteHls: async (showId) => {
      const origin = await recent.of(showId);
      return origin && origin.node !== origins.node ? origin.http : null;
    },
    pipes: () => ({ in: relay.size, out: origin.size }),
    async close() {
      relay.close();
      origin.close();
      await origins.close();
    }
  };
}
