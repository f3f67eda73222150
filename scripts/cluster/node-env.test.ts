import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { nodeEnvs } from './node-env.ts';

const shared = { databaseUrl: 'postgres://hawker@127.0.0.1:5432/hawker', redisUrl: 'redis://127.0.0.1:6379', dataDir: '/srv/cluster' };

/** Every port a node's config would bind for media, with `workers` mediasoup workers. */
function mediaPorts(config: ReturnType<typeof loadConfig>): number[] {
  const { viewerPort, minPort, maxPort, workers } = config.mediasoup;
  const viewers = Array.from({ length: workers }, (_, w) => viewerPort + w);
  return [...viewers, ...Array.from({ length: maxPort - minPort + 1 }, (_, p) => minPort + p)];
}

describe('the nodes of a cluster on one machine', () => {
  it('are valid configs that share the data and bind no port twice', () => {
    const configs = nodeEnvs([3101, 3102, 3103], shared, { MEDIASOUP_WORKERS: '4', METRICS_PORT: '9100' }).map((env) => loadConfig(env));
    expect(configs.map((c) => c.port)).toEqual([3101, 3102, 3103]);
    expect(configs.map((c) => c.metrics.port)).toEqual([9100, 9101, 9102]);
    const ports = configs.flatMap(mediaPorts);
    expect(new Set(ports).size).toBe(ports.length);
    expect(new Set(configs.map((c) => c.uploadDir))).toEqual(new Set(['/srv/cluster/uploads']));
    expect(configs.every((c) => c.databaseUrl === shared.databaseUrl && c.redisUrl === shared.redisUrl)).toBe(true);
    expect(configs.every((c) => c.host === '127.0.0.1' && c.trustProxy !== false)).toBe(true);
  });

  it('run the demo show on the first node only, and the operator can turn it off', () => {
    expect(nodeEnvs([1, 2, 3], shared, {}).map((e) => e.DEMO_SHOW)).toEqual(['true', 'false', 'false']);
    expect(nodeEnvs([1, 2, 3], shared, { DEMO_SHOW: 'false' }).map((e) => e.DEMO_SHOW)).toEqual(['false', 'false', 'false']);
  });

  it('leave metrics on the public port unless METRICS_PORT is set', () => {
    expect(nodeEnvs([1, 2], shared, {}).map((e) => e.METRICS_PORT)).toEqual([undefined, undefined]);
  });

  it('refuse a media port range too narrow to split', () => {
    expect(() => nodeEnvs([1, 2, 3], shared, { RTC_MIN_PORT: '40000', RTC_MAX_PORT: '40001' })).toThrow(/too narrow/);
  });
});
