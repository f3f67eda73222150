import { z } from 'zod';

/** What nodes say to each other to pipe a show's producers from its origin (see media-pipe-origin.ts). */

const id = z.string().min(1).max(64);

/** One end of a PipeTransport: where it listens and the SRTP key it sends with. */
export const pipeEndpoint = z.object({
  ip: z.string().min(1).max(64),
  port: z.number().int().min(1).max(65535),
  srtp: z.object({
    cryptoSuite: z.enum(['AEAD_AES_256_GCM', 'AEAD_AES_128_GCM', 'AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32']),
    keyBase64: z.string().min(1).max(128)
  })
});
export type PipeEndpoint = z.infer<typeof pipeEndpoint>;

/** A producer as the origin's pipe consumer sends it; mediasoup checks the parameters on produce. */
export const pipedProducer = z.object({
  id,
  kind: z.enum(['audio', 'video']),
  rtpParameters: z.record(z.string(), z.unknown()),
  paused: z.boolean()
});
export type PipedProducer = z.infer<typeof pipedProducer>;

/** A show's producers are few (a host's audio and video); anything longer is not from a node of ours. */
const producers = z.array(pipedProducer).max(8);

export const openPipe = z.object({ showId: id, endpoint: pipeEndpoint });
export const pipeOpened = z.object({ pipeId: id, endpoint: pipeEndpoint, producers });

/** Sent on every change the origin announces, and every few seconds: it also keeps the pipe open. */
export const syncPipe = z.object({ pipeId: id, have: z.array(id).max(8) });
export const pipeSynced = z.object({ add: producers, live: z.array(z.object({ id, paused: z.boolean() })).max(8) });

export const closePipe = z.object({ pipeId: id });

export const PIPE_METHODS = { open: 'media.pipe', sync: 'media.sync', close: 'media.unpipe' } as const;

/** Where a node's pipe transports listen: its media port range, announced at the address other nodes reach. */
export interface PipeListen {
  ip: string;
  announcedAddress: string;
  portRange: { min: number; max: number };
}
