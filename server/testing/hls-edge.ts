import fs from 'node:fs';
import path from 'node:path';
import { hlsEdgeConfig, parseEdgeLog, type EdgeLogEntry } from '../cluster/hls-edge-config.ts';
import { runScratchNginx, type ScratchNginx } from './nginx.ts';

export interface ScratchHlsEdge extends ScratchNginx {
  /** Every request answered so far, from its access log (none when started without one). */
  log(): EdgeLogEntry[];
}

/**
 * The LL-HLS caching edge (`hlsEdgeConfig`) as a scratch nginx on loopback in front of `upstreams`
 * (a node, or the nodes' nginx). `accessLog` keeps a log of every request in its folder.
 */
export async function startScratchHlsEdge(opts: { upstreams: string[]; accessLog: boolean; port?: number; onLog?: (line: string) => void }): Promise<ScratchHlsEdge> {
  let file: string | null = null;
  const nginx = await runScratchNginx((place) => {
    file = opts.accessLog ? path.join(place.prefix, 'access.log') : null;
    return hlsEdgeConfig({ ...place, upstreams: opts.upstreams, accessLog: file });
  }, opts);
  return { ...nginx, log: () => (file && fs.existsSync(file) ? parseEdgeLog(fs.readFileSync(file, 'utf8')) : []) };
}
