import os from 'node:os';
import path from 'node:path';
import proxyaddr from 'proxy-addr';
import { z } from 'zod';
import { CAPTION_PROVIDERS } from '#shared/captions.ts';
import { TRANSLATION_PROVIDERS } from '#shared/translation.ts';

const iceServer = z.object({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional()
});

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no'])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

/** A URL with one of the schemes `schemes` matches; `message` names them. */
const urlSchema = (schemes: RegExp, message: string) =>
  z
    .string()
    .url()
    .refine((u) => schemes.test(u), message);

/** A configured service's base URL: credentials go in their own setting (fetch refuses a URL holding them); no trailing slash. */
const httpBaseUrl = urlSchema(/^https?:\/\//, 'must be an http:// or https:// URL')
  .refine((u) => {
    const url = new URL(u);
    return url.username === '' && url.password === '';
  }, 'must not hold a user name or password (the key has its own setting)')
  .transform((u) => u.replace(/\/+$/, ''));

const envSchema = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Public origin(s) allowed to open the ws and post to /api, comma separated; the request's own Host is always allowed. */
  ALLOWED_ORIGINS: z.string().default(''),
  DATABASE_PATH: z.string().default('./data/hawker.db'),
  /** `full` syncs every commit to disk (survives power loss); `normal` is faster but survives only a process crash. */
  SQLITE_SYNCHRONOUS: z.enum(['full', 'normal']).default('full'),
  /** Cluster mode: the Redis every node shares (redis:// or rediss://); per-account and per-address limits are counted there. */
  REDIS_URL: urlSchema(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional(),
  /** Cluster mode: the PostgreSQL every node shares (postgres:// or postgresql://), instead of DATABASE_PATH's SQLite file. */
  DATABASE_URL: urlSchema(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL').optional(),
  /**
   * Cluster mode: the address other nodes reach this one at, for its LL-HLS (HTTP on PORT) and the
   * show media it pipes to them (UDP in RTC_MIN_PORT–RTC_MAX_PORT). Defaults to HOST unless that is a wildcard.
   */
  CLUSTER_ADDRESS: z.string().regex(/^[A-Za-z0-9.:-]{1,253}$/, 'must be a host name or an IP address').optional(),
  /** On SIGTERM, how long open requests and ws clients get to finish before they are cut off. */
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(300).default(10),
  UPLOAD_DIR: z.string().default('./data/uploads'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MEDIASOUP_WORKERS: z.coerce.number().int().min(1).max(64).default(os.cpus().length),
  /** Address mediasoup binds ICE candidates to. */
  RTC_LISTEN_IP: z.string().default('127.0.0.1'),
  /** Address announced to browsers when RTC_LISTEN_IP is 0.0.0.0 or behind NAT (e.g. the LAN address). */
  RTC_ANNOUNCED_ADDRESS: z.string().optional(),
  /**
   * Viewers' media: mediasoup worker i listens on this port + i (UDP and TCP); 0 takes any free port.
   * Below Linux's ephemeral range (32768 up), so an outgoing connection never holds it.
   */
  RTC_VIEWER_PORT: z.coerce.number().int().min(0).max(65535).default(20000),
  /** Hosts' media: each broadcast's transport takes a port from this range. */
  RTC_MIN_PORT: z.coerce.number().int().min(1024).max(65535).default(40000),
  RTC_MAX_PORT: z.coerce.number().int().min(1024).max(65535).default(49999),
  /** JSON array of RTCIceServer objects handed to browsers, e.g. a TURN server. */
  ICE_SERVERS: z.string().default('[]'),
  /** Start the always-live demo show (FFmpeg test pattern) and its shop (lots, drops, a poll, a coupon, demo bidders). */
  DEMO_SHOW: bool.default(true),
  /** How long each of the demo show's auction lots runs; its drops, polls and chat keep pace with it. */
  DEMO_LOT_SECONDS: z.coerce.number().int().min(10).max(600).default(40),
  FFMPEG_PATH: z.string().default('ffmpeg'),
  /** Publish every live show as LL-HLS too (the fallback for large audiences, and the replay). */
  HLS_ENABLED: bool.default(true),
  HLS_DIR: z.string().default('./data/hls'),
  /** Cluster mode: a node without a show's LL-HLS redirects to the show's origin (its CLUSTER_ADDRESS reachable by players) instead of passing the request on. */
  HLS_REDIRECT_TO_ORIGIN: bool.default(false),
  HLS_X264_PRESET: z.enum(['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium']).default('superfast'),
  /**
   * WebRTC consumers a mediasoup worker takes before new viewers are sent to LL-HLS: two thirds of what
   * `npm run bench:sfu` measured one worker core forwarding (README, benchmarks).
   */
  SFU_MAX_CONSUMERS_PER_WORKER: z.coerce.number().int().min(1).default(600),
  /** Seeded admin credentials; a random password is generated and printed once when unset. */
  ADMIN_EMAIL: z.string().email().default('admin@hawker.local'),
  ADMIN_PASSWORD: z.string().min(8).optional(),
  /**
   * Which proxies may name the client in X-Forwarded-For: `false` (the default: the socket's peer is the
   * client), `loopback`, or comma-separated addresses/CIDRs. Every per-address limit keys on the result.
   */
  TRUST_PROXY: z.string().default('false'),
  /** Sign-ups accepted per client address (IPv6: per /64) per hour; each costs a 19 MiB argon2 hash. */
  SIGNUP_LIMIT_PER_HOUR: z.coerce.number().int().min(1).default(20),
  SIGNIN_LIMIT_PER_ADDRESS: z.coerce.number().int().min(1).default(30),
  /** Live (unrevoked) API tokens one account may hold. */
  API_TOKENS_PER_ACCOUNT: z.coerce.number().int().min(1).default(20),
  /** API tokens one account may create per hour (an address: three times as many). */
  API_TOKENS_PER_HOUR: z.coerce.number().int().min(1).default(10),
  /** Open ws sockets per client address (hosts' and admins' own sockets count only per account). */
  MAX_SOCKETS_PER_IP: z.coerce.number().int().min(1).default(20),
  /** Open ws sockets per signed-in account. */
  MAX_SOCKETS_PER_ACCOUNT: z.coerce.number().int().min(1).default(10),
  /** When set, /metrics answers only requests with `Authorization: Bearer <token>`. */
  METRICS_TOKEN: z.string().min(16).optional(),
  /** When METRICS_PORT is set, /metrics is served only on METRICS_HOST:METRICS_PORT, not on the public port. */
  METRICS_HOST: z.string().default('127.0.0.1'),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  NODE_ENV: z.string().default('development'),
  /** Who charges cards. `test` (no money moves) is the default unless NODE_ENV=production, where it must be named. */
  PAYMENT_PROVIDER: z.enum(['test']).optional(),
  /** Lets NODE_ENV=production run the test provider (a staging site); refused otherwise. */
  ALLOW_TEST_PAYMENTS: bool.default(false),
  /** Buy and cart-checkout requests each buyer may make per minute. */
  BUYS_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  /** Units one buyer may hold reserved and unpaid at once, across orders. */
  MAX_UNPAID_UNITS_PER_BUYER: z.coerce.number().int().min(1).default(20),
  /**
   * Lets webhooks go to loopback, private, link-local, CGNAT and other non-public addresses (a receiver on the
   * same machine or network). Off by default: a host's URL must not reach the operator's own network (SSRF).
   */
  WEBHOOKS_ALLOW_PRIVATE_ADDRESSES: bool.default(false),
  /** Lets webhook URLs use plain http; off by default, so deliveries (and their signatures) travel over https. */
  WEBHOOKS_ALLOW_HTTP: bool.default(false),
  /** Shows one host may have scheduled or live at once; unset, the shows domain's own limit. */
  MAX_OPEN_SHOWS_PER_HOST: z.coerce.number().int().min(1).optional(),
  /** Cookies get the Secure flag unless the app is served on loopback over plain http. */
  SECURE_COOKIES: bool.optional(),
  /** Who turns a show's speech into captions: the embedded PocketSphinx (English), an OpenAI-compatible endpoint, or nobody. */
  CAPTIONS_PROVIDER: z.enum([...CAPTION_PROVIDERS, 'off']).default('pocketsphinx'),
  /** The endpoint provider's base URL; audio goes to `{url}/v1/audio/transcriptions` (loopback and private addresses allowed: a local whisper.cpp). */
  CAPTIONS_ENDPOINT_URL: httpBaseUrl.optional(),
  CAPTIONS_ENDPOINT_MODEL: z.string().min(1).max(200).default('whisper-1'),
  /** How long one window's transcription may take before it is given up (its words are lost, the stream goes on). */
  CAPTIONS_ENDPOINT_TIMEOUT_SECONDS: z.coerce.number().min(1).max(120).default(10),
  /** Sent as `Authorization: Bearer <key>` when set; never logged. */
  CAPTIONS_ENDPOINT_KEY: z.string().min(1).optional(),
  /** Shows this node captions at once (one FFmpeg and one speech stream each); shows beyond it go without captions. */
  CAPTIONS_MAX_STREAMS: z.coerce.number().int().min(0).max(256).default(8),
  /** What translates chat: `apertium` (offline: the pairs installed on this machine), `libretranslate` (TRANSLATION_ENDPOINT_URL) or `off`. */
  TRANSLATION_PROVIDER: z.enum([...TRANSLATION_PROVIDERS, 'off']).default('apertium'),
  /** The LibreTranslate server's base URL (its /translate and /languages are under it). */
  TRANSLATION_ENDPOINT_URL: httpBaseUrl.optional(),
  /** Sent as LibreTranslate's `api_key` when set; never logged. */
  TRANSLATION_ENDPOINT_KEY: z.string().min(1).optional(),
  /** Where Apertium's language data is (its modes/ directory names the installed pairs). */
  APERTIUM_DATA_DIR: z.string().default('/usr/share/apertium')
});

export type Config = ReturnType<typeof loadConfig>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const iceServers = z.array(iceServer).parse(JSON.parse(e.ICE_SERVERS));
  if (e.RTC_MIN_PORT > e.RTC_MAX_PORT) throw new Error('RTC_MIN_PORT must not exceed RTC_MAX_PORT');
  const loopback = e.HOST === '127.0.0.1' || e.HOST === 'localhost' || e.HOST === '::1';
  const clusterAddress = e.CLUSTER_ADDRESS ?? (e.HOST === '0.0.0.0' || e.HOST === '::' ? undefined : e.HOST);
  if (e.CAPTIONS_PROVIDER === 'openai' && !e.CAPTIONS_ENDPOINT_URL) throw new Error('Invalid configuration:\n  CAPTIONS_ENDPOINT_URL: required when CAPTIONS_PROVIDER=openai');
  if (e.TRANSLATION_PROVIDER === 'libretranslate' && !e.TRANSLATION_ENDPOINT_URL) throw new Error('Invalid configuration:\n  TRANSLATION_ENDPOINT_URL: required when TRANSLATION_PROVIDER=libretranslate');
  if (e.REDIS_URL && !clusterAddress) throw new Error('Invalid configuration:\n  CLUSTER_ADDRESS: required in cluster mode when HOST is a wildcard (the address other nodes reach this one at)');
  return {
    host: e.HOST,
    port: e.PORT,
    allowedOrigins: e.ALLOWED_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean),
    databasePath: e.DATABASE_PATH === ':memory:' ? ':memory:' : path.resolve(e.DATABASE_PATH),
    sqliteSynchronous: e.SQLITE_SYNCHRONOUS,
    redisUrl: e.REDIS_URL,
    databaseUrl: e.DATABASE_URL,
    clusterAddress,
    shutdownGraceMs: e.SHUTDOWN_GRACE_SECONDS * 1000,
    uploadDir: path.resolve(e.UPLOAD_DIR),
    logLevel: e.LOG_LEVEL,
    secureCookies: e.SECURE_COOKIES ?? !loopback,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    signUpsPerAddressPerHour: e.SIGNUP_LIMIT_PER_HOUR,
    signInsPerAddress: e.SIGNIN_LIMIT_PER_ADDRESS,
    sockets: { perAddress: e.MAX_SOCKETS_PER_IP, perAccount: e.MAX_SOCKETS_PER_ACCOUNT },
    apiTokens: { maxLivePerAccount: e.API_TOKENS_PER_ACCOUNT, creationsPerHour: e.API_TOKENS_PER_HOUR },
    metrics: { token: e.METRICS_TOKEN, host: e.METRICS_HOST, port: e.METRICS_PORT },
    payments: { provider: paymentProvider(e) },
    purchases: { buysPerMinute: e.BUYS_PER_MINUTE, maxUnpaidUnits: e.MAX_UNPAID_UNITS_PER_BUYER },
    webhooks: { allowPrivateAddresses: e.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES, allowHttp: e.WEBHOOKS_ALLOW_HTTP },
    maxOpenShowsPerHost: e.MAX_OPEN_SHOWS_PER_HOST,
    mediasoup: {
      workers: e.MEDIASOUP_WORKERS,
      listenIp: e.RTC_LISTEN_IP,
      announcedAddress: e.RTC_ANNOUNCED_ADDRESS,
      viewerPort: e.RTC_VIEWER_PORT,
      minPort: e.RTC_MIN_PORT,
      maxPort: e.RTC_MAX_PORT,
      iceServers
    },
    demo: { enabled: e.DEMO_SHOW, ffmpegPath: e.FFMPEG_PATH, lotSeconds: e.DEMO_LOT_SECONDS },
    hls: { enabled: e.HLS_ENABLED, dir: path.resolve(e.HLS_DIR), preset: e.HLS_X264_PRESET, redirectToOrigin: e.HLS_REDIRECT_TO_ORIGIN, maxConsumersPerWorker: e.SFU_MAX_CONSUMERS_PER_WORKER },
    admin: { email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD },
    captions: {
      provider: e.CAPTIONS_PROVIDER,
      maxStreams: e.CAPTIONS_MAX_STREAMS,
      endpoint: e.CAPTIONS_ENDPOINT_URL
        ? {
            url: e.CAPTIONS_ENDPOINT_URL,
            model: e.CAPTIONS_ENDPOINT_MODEL,
            key: e.CAPTIONS_ENDPOINT_KEY,
            timeoutMs: e.CAPTIONS_ENDPOINT_TIMEOUT_SECONDS * 1000
          }
        : undefined
    },
    translation: {
      provider: e.TRANSLATION_PROVIDER,
      apertiumDataDir: e.APERTIUM_DATA_DIR,
      endpoint: e.TRANSLATION_ENDPOINT_URL ? { url: e.TRANSLATION_ENDPOINT_URL, key: e.TRANSLATION_ENDPOINT_KEY } : undefined
    }
  };
}

/** `false` or the list of trusted proxy addresses/CIDRs (and proxy-addr's names such as `loopback`). */
function parseTrustProxy(value: string): string[] | false {
  const v = value.trim();
  if (v === '' || v === 'false' || v === '0' || v === 'no') return false;
  const list = v.split(',').map((s) => s.trim()).filter(Boolean);
  // proxy-addr throws on anything it cannot read; fail at start, not per request.
  proxyaddr.compile(list);
  return list;
}

/** The payment provider to run; a production server never charges with the test provider by accident. */
function paymentProvider(e: { NODE_ENV: string; PAYMENT_PROVIDER?: 'test'; ALLOW_TEST_PAYMENTS: boolean }): 'test' {
  const production = e.NODE_ENV === 'production';
  const provider = e.PAYMENT_PROVIDER ?? (production ? undefined : 'test');
  if (!provider) throw new Error('Invalid configuration:\n  PAYMENT_PROVIDER: required when NODE_ENV=production');
  if (provider === 'test' && production && !e.ALLOW_TEST_PAYMENTS) {
    throw new Error('Invalid configuration:\n  PAYMENT_PROVIDER: the test provider takes no money; set ALLOW_TEST_PAYMENTS=true to run it under NODE_ENV=production');
  }
  return provider;
}
