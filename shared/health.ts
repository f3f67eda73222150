/** What `/healthz` answers: 200 when this node can serve a show, 503 (with what is wrong) when it cannot. */
export interface HealthDto {
  ok: boolean;
  /** Hawker's version (package.json). */
  version: string;
  /** The Node.js running the server, e.g. "v24.22.3". */
  node: string;
  /** mediasoup workers alive right now. */
  workers: number;
  /** Auction lots whose stored events could not be replayed at start; kept aside, never run (see the log). */
  auctionLotsSetAside: number;
  /** The checks that failed: empty when ok. */
  failing: HealthCheck[];
}

export type HealthCheck = 'database' | 'media_workers' | 'ffmpeg';
