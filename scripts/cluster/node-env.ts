import path from 'node:path';

/** Room for each node's viewer ports: a node has at most 64 mediasoup workers (see server/config.ts). */
const VIEWER_PORT_STRIDE = 100;

export interface ClusterShared {
  databaseUrl: string;
  redisUrl: string;
  /** The cluster's data folder: uploads and recordings are shared, so any node serves any page. */
  dataDir: string;
}

/**
 * The environment of each node of a cluster on one machine, from the launcher's own: every node on
 * its own loopback port, its own slice of the media ports (nodes on one machine would collide on
 * them) and metrics port, trusting the nginx in front on loopback; the demo show on the first only.
 */
export function nodeEnvs(ports: number[], shared: ClusterShared, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv[] {
  const int = (name: string, fallback: number) => {
    const v = Number(env[name] ?? fallback);
    if (!Number.isInteger(v) || v < 0 || v > 65535) throw new Error(`${name} must be a port number`);
    return v;
  };
  const viewerPort = int('RTC_VIEWER_PORT', 20000);
  const minPort = int('RTC_MIN_PORT', 40000);
  const slice = Math.floor((int('RTC_MAX_PORT', 49999) - minPort + 1) / ports.length);
  if (slice < 1) throw new Error(`RTC_MIN_PORT–RTC_MAX_PORT is too narrow for ${ports.length} nodes`);
  const metricsPort = env.METRICS_PORT === undefined ? undefined : int('METRICS_PORT', 0);
  return ports.map((port, i) => ({
    ...env,
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: shared.databaseUrl,
    REDIS_URL: shared.redisUrl,
    UPLOAD_DIR: path.join(shared.dataDir, 'uploads'),
    HLS_DIR: path.join(shared.dataDir, 'hls'),
    TRUST_PROXY: 'loopback',
    // The nodes share this machine's cores.
    MEDIASOUP_WORKERS: env.MEDIASOUP_WORKERS ?? '1',
    RTC_VIEWER_PORT: String(viewerPort === 0 ? 0 : viewerPort + i * VIEWER_PORT_STRIDE),
    RTC_MIN_PORT: String(minPort + i * slice),
    RTC_MAX_PORT: String(minPort + (i + 1) * slice - 1),
    DEMO_SHOW: i === 0 ? (env.DEMO_SHOW ?? 'true') : 'false',
    // 0 stays 0: each node takes any free port.
    ...(metricsPort === undefined ? {} : { METRICS_PORT: String(metricsPort && metricsPort + i) })
  }));
}
