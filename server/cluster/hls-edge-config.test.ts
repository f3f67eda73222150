import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMING } from '../hls/encoder/ladder.ts';
import { hlsEdgeConfig, LOCK_SECONDS, originRequestsPerPart, parseEdgeLog, type HlsEdgeOptions } from './hls-edge-config.ts';

const opts: HlsEdgeOptions = { listen: '127.0.0.1:3001', upstreams: ['127.0.0.1:3000'], prefix: '/srv/edge', accessLog: '/srv/edge/access.log' };
const directive = (conf: string, name: string) => [...conf.matchAll(new RegExp(`^\\s*${name} (.*);$`, 'gm'))].map((m) => m[1]);

describe('the LL-HLS edge config', () => {
  const conf = hlsEdgeConfig(opts);

  it('caches /hls/ alone, under its prefix, keyed by the path and the delivery directives only', () => {
    expect(directive(conf, 'proxy_cache_path')[0]).toMatch(/^\/srv\/edge\/hls_cache .*keys_zone=hawker_hls:/);
    expect(conf).toMatch(/location \/hls\/ \{[^}]*proxy_cache hawker_hls;/);
    expect(conf).toMatch(/location \/ \{\s*return 404;\s*\}/);
    expect(directive(conf, 'proxy_cache_key')).toEqual(['$uri?_HLS_msn=$arg__HLS_msn&_HLS_part=$arg__HLS_part&_HLS_skip=$arg__HLS_skip']);
  });

  it('collapses requests for longer than the origin holds a blocking reload', () => {
    expect(directive(conf, 'proxy_cache_lock')).toEqual(['on']);
    expect(LOCK_SECONDS).toBeGreaterThan(3 * DEFAULT_TIMING.segmentSeconds);
    for (const name of ['proxy_cache_lock_timeout', 'proxy_cache_lock_age']) expect(directive(conf, name)).toEqual([`${LOCK_SECONDS}s`]);
  });

  it("stores only what the origin's Cache-Control allows, and keeps the plain live playlists out of the lock", () => {
    for (const name of ['proxy_cache_valid', 'proxy_ignore_headers', 'proxy_hide_header']) expect(directive(conf, name)).toEqual([]);
    const uncached = new RegExp(/"~(.*)" 1;/.exec(conf)![1]!);
    const key = (uri: string, msn = '') => `${uri}:${msn}`;
    for (const uri of ['/hls/s1/master.m3u8', '/hls/s1/e1/720p/index.m3u8']) {
      expect(uncached.test(key(uri)), uri).toBe(true);
      expect(uncached.test(key(uri, '4')), uri).toBe(false);
    }
    for (const uri of ['/hls/s1/vod/master.m3u8', '/hls/s1/vod/720p/vod.m3u8', '/hls/s1/e1/720p/part-3.m4s']) expect(uncached.test(key(uri)), uri).toBe(false);
    expect(directive(conf, 'proxy_cache_bypass')).toEqual(['$hawker_hls_uncached']);
    expect(directive(conf, 'proxy_no_cache')).toEqual(['$hawker_hls_uncached']);
  });

  it('keeps connections to the origin open, buffers, and says how the cache answered', () => {
    expect(conf).toMatch(/upstream hawker_hls_origin \{\s*server 127\.0\.0\.1:3000;[^}]*keepalive \d+;/);
    expect(directive(conf, 'proxy_http_version')).toEqual(['1.1']);
    expect(directive(conf, 'proxy_set_header Connection')).toEqual(['""']);
    expect(directive(conf, 'proxy_buffering')).toEqual(['on']);
    expect(directive(conf, 'add_header')).toEqual(['X-Cache $upstream_cache_status always']);
  });

  it('logs to the given file or not at all', () => {
    expect(directive(conf, 'access_log')).toEqual(['off', '/srv/edge/access.log hawker_hls_edge']);
    expect(directive(hlsEdgeConfig({ ...opts, accessLog: null }), 'access_log')).toEqual(['off']);
  });

  it('reads its log lines back', () => {
    const text = 'HIT 200 0.501 /hls/s1/e1/360p/index.m3u8?_HLS_msn=3&_HLS_part=1&_HLS_skip=YES\n- 404 0.000 /a b?_HLS_msn=-&_HLS_part=-&_HLS_skip=-\nMISS 2';
    expect(parseEdgeLog(text)).toEqual([
      { cache: 'HIT', status: 200, seconds: 0.501, key: '/hls/s1/e1/360p/index.m3u8?_HLS_msn=3&_HLS_part=1&_HLS_skip=YES' },
      { cache: '-', status: 404, seconds: 0, key: '/a b?_HLS_msn=-&_HLS_part=-&_HLS_skip=-' }
    ]);
  });

  it('counts how often the origin was asked for each part and blocking reload', () => {
    const part = '/hls/s1/e1/360p/part-7.m4s?_HLS_msn=-&_HLS_part=-&_HLS_skip=-';
    const reload = '/hls/s1/e1/360p/index.m3u8?_HLS_msn=1&_HLS_part=3&_HLS_skip=YES';
    const plain = '/hls/s1/e1/360p/index.m3u8?_HLS_msn=-&_HLS_part=-&_HLS_skip=-';
    const lines = [`MISS 200 0.1 ${part}`, `HIT 200 0.5 ${part}`, `MISS 200 0.2 ${reload}`, `EXPIRED 200 0.0 ${reload}`, `HIT 200 0.5 ${reload}`];
    const log = parseEdgeLog([...lines, `BYPASS 200 0.0 ${plain}`, ''].join('\n'));
    expect(originRequestsPerPart(log)).toEqual({ keys: 2, mean: 1.5, max: 2, worst: `${reload} (MISS 200, EXPIRED 200, HIT 200)` });
  });

  it('refuses values that would change the config around them', () => {
    expect(() => hlsEdgeConfig({ ...opts, upstreams: ['127.0.0.1:3000; include /etc/passwd'] })).toThrow();
    expect(() => hlsEdgeConfig({ ...opts, listen: '3001 ssl' })).toThrow();
    expect(() => hlsEdgeConfig({ ...opts, upstreams: [] })).toThrow();
    expect(() => hlsEdgeConfig({ ...opts, prefix: '/tmp/x; user root' })).toThrow();
    expect(() => hlsEdgeConfig({ ...opts, accessLog: '/tmp/$host.log' })).toThrow();
  });
});
