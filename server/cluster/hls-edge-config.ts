/**
 * The LL-HLS caching edge: nginx in front of a node (or of the nodes' nginx) serving `/hls/` from
 * its cache, so an audience costs the origin about one request per part and per playlist update.
 * The origin decides what is cached and for how long (its Cache-Control, see hls/hls-router.ts);
 * the edge adds request collapsing and a cache key that keeps only the LL-HLS delivery directives.
 */
import { DEFAULT_TIMING } from '../hls/encoder/ladder.ts';
import { MEDIA_PLAYLIST } from '../hls/encoder/live-stream.ts';
import { checkAddresses, checkPath, wholeNginxConfig, type NginxProcess, type NginxSite } from './nginx-config.ts';

export interface HlsEdgeOptions extends Pick<NginxSite, 'listen' | 'upstreams'>, NginxProcess {
  /** The access log (`EDGE_LOG_FORMAT`, a line per request), or null for none. */
  accessLog: string | null;
}

/**
 * The path and the delivery directives only: a player's cache-busting or session arguments must not
 * split an audience's requests for one part over many entries. The origin reads nothing else.
 */
const CACHE_KEY = '$uri?_HLS_msn=$arg__HLS_msn&_HLS_part=$arg__HLS_part&_HLS_skip=$arg__HLS_skip';

/**
 * The origin holds a blocking reload up to three target durations (6 s with 2 s segments; more if a
 * segment overran). Waiting on the cache lock longer than that means a held request is waited on by
 * the rest of the audience, never sent again beside it.
 */
export const LOCK_SECONDS = 2 * 3 * DEFAULT_TIMING.segmentSeconds;

/** One access log line: how the cache answered, the status, seconds taken, and the cache key. */
const EDGE_LOG_FORMAT = `$upstream_cache_status $status $request_time ${CACHE_KEY}`;

/**
 * Live playlists without `_HLS_msn`: the multivariant one and a media playlist's plain reload, both
 * answered `no-cache`, so never stored. They skip the cache because nginx's lock would queue such
 * requests one behind another (a waiter looks again only every 500 ms).
 */
const UNCACHED_PLAYLIST = `~^/hls/[^/]+/(master\\.m3u8|[^/]+/[^/]+/${MEDIA_PLAYLIST.replaceAll('.', '\\.')}):$`;

/** A whole nginx.conf for the edge (see `wholeNginxConfig`); its cache lives under `prefix`. */
export function hlsEdgeConfig(opts: HlsEdgeOptions): string {
  const { listen, upstreams, prefix, accessLog } = opts;
  checkAddresses({ listen, upstreams });
  if (accessLog !== null) checkPath(accessLog);
  // Live parts are wanted for seconds, a recording's files for as long as people replay it: the least recently used go first.
  const site = `proxy_cache_path ${prefix}/hls_cache levels=1:2 keys_zone=hawker_hls:10m max_size=1g inactive=10m use_temp_path=off;
log_format hawker_hls_edge '${EDGE_LOG_FORMAT}';

map "$uri:$arg__HLS_msn" $hawker_hls_uncached {
    "${UNCACHED_PLAYLIST}" 1;
    default "";
}

upstream hawker_hls_origin {
${upstreams.map((u) => `    server ${u};`).join('\n')}
    # Idle connections kept open: a part costs no connection setup.
    keepalive 16;
}

server {
    listen ${listen};${accessLog === null ? '' : `\n    access_log ${accessLog} hawker_hls_edge;`}

    location /hls/ {
        # With a URI part nginx sends the normalised path: the origin answers for what the key names.
        proxy_pass http://hawker_hls_origin/hls/;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        # The media is public: a viewer's session has no place in a shared cache's requests.
        proxy_set_header Cookie "";
        proxy_buffering on;

        # No proxy_cache_valid: only what the origin's Cache-Control allows is stored, for as long as it
        # says. Its errors are no-store, so requests waiting on one then ask the origin in turn.
        proxy_cache hawker_hls;
        proxy_cache_key ${CACHE_KEY};
        proxy_cache_bypass $hawker_hls_uncached;
        proxy_no_cache $hawker_hls_uncached;
        # One request per key goes to the origin; the others wait for its answer in the cache, looking
        # for it every 500 ms (nginx's own interval), so they get it up to half a second later.
        proxy_cache_lock on;
        proxy_cache_lock_timeout ${LOCK_SECONDS}s;
        proxy_cache_lock_age ${LOCK_SECONDS}s;
        add_header X-Cache $upstream_cache_status always;
    }

    # The edge carries LL-HLS alone: pages, the API and room sockets go to the nodes.
    location / {
        return 404;
    }
}
`;
  return wholeNginxConfig(site, opts);
}

export interface EdgeLogEntry {
  /** `$upstream_cache_status`: HIT, MISS, BYPASS, EXPIRED…; `-` where the cache was not involved. */
  cache: string;
  status: number;
  seconds: number;
  /** The cache key, with `-` for a directive the request did not give. */
  key: string;
}

/** The cache statuses of requests the edge passed on to the origin. */
const FROM_ORIGIN = new Set(['MISS', 'BYPASS', 'EXPIRED', 'REVALIDATED']);

export const fromOrigin = (e: EdgeLogEntry): boolean => FROM_ORIGIN.has(e.cache);

/** Parses the access log's complete lines. */
export function parseEdgeLog(text: string): EdgeLogEntry[] {
  return text
    .split('\n')
    .slice(0, -1)
    .map((line) => {
      // The key last: a decoded path may hold spaces.
      const m = /^(\S+) (\d{3}) ([\d.]+) (.+)$/.exec(line);
      if (!m) throw new Error(`not an edge log line: ${line}`);
      return { cache: m[1]!, status: Number(m[2]), seconds: Number(m[3]), key: m[4]! };
    });
}

/** A part's media, or a blocking reload waiting for a part: what an audience multiplies. */
const PER_PART_KEY = /\/part-\d+\.m4s\?|\?_HLS_msn=\d/;

/**
 * How often the origin was asked for the same part or blocking reload: over every such cache key in
 * `entries`, the mean and the most requests the edge passed on for one key (1 is perfect collapsing),
 * with that key and how each of its requests was answered.
 */
export function originRequestsPerPart(entries: EdgeLogEntry[]): { keys: number; mean: number; max: number; worst: string } {
  const perKey = Map.groupBy(entries.filter((e) => PER_PART_KEY.test(e.key)), (e) => e.key);
  const counts = [...perKey].map(([key, all]) => ({ key, n: all.filter(fromOrigin).length, how: all.map((e) => `${e.cache} ${e.status}`) }));
  const total = counts.reduce((sum, c) => sum + c.n, 0);
  const worst = counts.reduce((a, b) => (b.n > a.n ? b : a), { key: '', n: 0, how: [] as string[] });
  return {
    keys: counts.length,
    mean: counts.length ? Number((total / counts.length).toFixed(2)) : NaN,
    max: worst.n,
    worst: worst.key && `${worst.key} (${worst.how.join(', ')})`
  };
}
