import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import express from 'express';
import type { Config } from './config.ts';
import { openRepo } from './db/open-repo.ts';
import { seed } from './startup/seed.ts';
import { SessionStore } from './auth/session.ts';
import { Accounts } from './auth/accounts.ts';
import { ApiTokens } from './auth/api-tokens.ts';
import { Shows } from './shows/shows.ts';
import { WorkerPool } from './sfu/worker-pool.ts';
import { RoomRegistry } from './rooms/room-registry.ts';
import { apiRouter } from './api-router.ts';
import { attachWebSocketServer } from './realtime/ws-server.ts';
import { clientAddressResolver } from './http/client-address.ts';
import { DemoShow } from './demo/demo-show.ts';
import { startWebrtcHttp } from './webrtc-http/start-webrtc-http.ts';
import { seedDemoShop } from './demo/demo-shop.ts';
import { DemoSchedule } from './demo/demo-schedule.ts';
import { demoPace } from './demo/demo-pace.ts';
import { Orders } from './commerce/orders.ts';
import { Sales } from './commerce/sales.ts';
import { SellerTerms } from './commerce/seller-terms.ts';
import { LotStore } from './auctions/lot-store.ts';
import { Auctions } from './auctions/auctions.ts';
import { Inventory } from './commerce/inventory.ts';
import { Catalog } from './commerce/catalog.ts';
import { Purchases } from './commerce/purchases.ts';
import { Coupons } from './commerce/coupons.ts';
import { Checkout } from './commerce/checkout.ts';
import { FlashSales } from './commerce/flash-sales.ts';
import { createPaymentProvider } from './commerce/payment-provider.ts';
import { PaymentAttempts } from './commerce/payment-attempts.ts';
import type { PaymentProvider } from './commerce/payments.ts';
import { Overlay } from './overlay/overlay.ts';
import { RoomUpdates } from './realtime/room-updates.ts';
import { LocalRoomBus } from './realtime/room-bus.ts';
import { RedisRoomBus } from './cluster/redis-room-bus.ts';
import { ClusterRevocations } from './cluster/session-revocations.ts';
import { ClusterViewerCounts } from './cluster/viewer-counts.ts';
import { auctionHandlers } from './auctions/ws-handlers.ts';
import { overlayHandlers } from './overlay/ws-handlers.ts';
import { chatHandlers } from './chat/ws-handlers.ts';
import { Chat } from './chat/chat.ts';
import { ChatModeration } from './chat/chat-moderation.ts';
import { Hearts } from './chat/hearts.ts';
import { Follows } from './follows/follows.ts';
import { startWebhooks } from './webhooks/start-webhooks.ts';
import type { RetrySchedule } from './webhooks/retry-schedule.ts';
import { MemoryHeartTotals, RedisHeartTotals } from './chat/heart-totals.ts';
import { connectRedis } from './cluster/redis.ts';
import { ShowOwners } from './cluster/show-owners.ts';
import { startMediaPipes, type MediaPipes } from './cluster/media/media-pipes.ts';
import { onceAcrossCluster } from './cluster/cluster-jobs.ts';
import { newId } from './ids.ts';
import { LimitStore } from './limits/shared-limits.ts';
import { MemorySocketBudget } from './limits/socket-budget.ts';
import { RedisSocketBudget } from './limits/redis-socket-budget.ts';
import { ShowStatsTracker } from './stats/show-stats.ts';
import * as metrics from './metrics/metrics.ts';
import { listenMetrics, metricsHandler } from './metrics/metrics-endpoint.ts';
import { errorReply } from './http/error-reply.ts';
import { AppError } from './errors.ts';
import { HlsService } from './hls/hls-service.ts';
import { startCaptions } from './captions/start-captions.ts';
import { speechToTextFromConfig } from './captions/engines/from-config.ts';
import type { Captions } from './captions/captions.ts';
import type { CaptionService } from './captions/caption-service.ts';
import type { CaptionSettings } from '#shared/captions.ts';
import { translatorFromConfig } from './translation/translator-from-config.ts';
import { Translations } from './translation/translations.ts';
import { installAppContext } from './app-context.ts';
import { InFlightRequests } from './http/in-flight.ts';
import { dataOnlyPolicy, securityHeaders } from './http/security-headers.ts';
import { readinessHandler } from './health/readiness.ts';
import { logger } from './log.ts';

const log = logger('app');

export interface RunningApp {
  server: http.Server;
  url: string;
  shows: Shows;
  accounts: Accounts;
  sessions: SessionStore;
  apiTokens: ApiTokens;
  rooms: RoomRegistry;
  auctions: Auctions;
  orders: Orders;
  catalog: Catalog;
  purchases: Purchases;
  overlay: Overlay;
  pool: WorkerPool;
  hls: HlsService;
  captions: Captions;
  /** Null without a speech engine: no show is captioned on this node. */
  captionService: CaptionService | null;
  demo: DemoShow | null;
  /** In a cluster, a show's media between nodes. */
  media: MediaPipes | null;
  /** This process's id among a cluster's nodes (the owner of a show names it). */
  node: string;
  close(): Promise<void>;
}

/**
 * Composition root: database, services, mediasoup workers, the JSON API, the ws
 * endpoint and (when built) the SvelteKit handler, all on one HTTP server.
 */
export async function startApp(config: Config, opts: { webHandler?: boolean; payments?: PaymentProvider; webhookRetry?: RetrySchedule } = {}): Promise<RunningApp> {
  const database = await openRepo({ databaseUrl: config.databaseUrl, databasePath: config.databasePath, synchronous: config.sqliteSynchronous });
  const { repo } = database;
  const redis = config.redisUrl ? await connectRedis(config.redisUrl) : null;
  const limits = new LimitStore(redis);
  const socketBudget = redis ? new RedisSocketBudget(redis, config.sockets) : new MemorySocketBudget(config.sockets);
  const sessions = new SessionStore(repo);
  const apiTokens = new ApiTokens(repo, config.apiTokens, limits);
  const accounts = new Accounts(repo, { signUpsPerAddressPerHour: config.signUpsPerAddressPerHour, signInsPerAddress: config.signInsPerAddress }, limits);
  const shows = new Shows(repo, { maxOpenShows: config.maxOpenShowsPerHost });
  await database.alone(() => seed({ accounts, shows, config }));

  const { listenIp, announcedAddress, viewerPort } = config.mediasoup;
  const pool = await WorkerPool.create(config.mediasoup.workers, { ip: listenIp, announcedAddress, port: viewerPort });
  const viewerCounts = redis ? new ClusterViewerCounts(redis) : null;
  const rooms = new RoomRegistry({ pool, rtc: config.mediasoup, maxConsumersPerWorker: config.hls.maxConsumersPerWorker, viewerTotal: viewerCounts?.total });
  viewerCounts?.start(rooms);
  // Before any room opens: it follows rooms as they open.
  const hls = new HlsService({
    registry: rooms, ffmpegPath: config.demo.ffmpegPath, dir: config.hls.dir, preset: config.hls.preset, enabled: config.hls.enabled,
    // Asked when a show's stream opens, long after the Captions domain below exists.
    captionLanguage: async (showId) => captionLanguage(await captions.settings(showId))
  });
  const inventory = new Inventory(repo);
  const terms = new SellerTerms(repo);
  const orders = new Orders(repo, inventory, Date.now, terms);
  const sales = new Sales(repo, orders);
  // Bans and blocks: chat, bids, buys, votes and coupon claims all ask it.
  const moderation = new ChatModeration(repo, shows);
  // In a cluster each live show's lots run on one node, its owner; other nodes forward bids there.
  const nodeId = newId();
  const owners = redis ? await ShowOwners.start(redis, { nodeId, liveShows: async () => (await shows.list('live')).map((s) => s.id) }) : null;
  let httpPort = config.port;
  const media = owners ? await startMediaPipes({ redis: redis!, requests: owners.requests, rooms, rtc: config.mediasoup, address: config.clusterAddress!, self: () => ({ node: nodeId, http: `http://${hostPart(config.clusterAddress!)}:${httpPort}` }) }) : null;
  const auctions = new Auctions({ store: new LotStore(repo), shows, audience: rooms, orders, participation: moderation, limits, ownership: owners ?? undefined });
  if (owners) {
    owners.serve((request) => auctions.serve(request));
    owners.onGained((showId) => void auctions.adopt(showId).catch((err: unknown) => log.error({ err, show: showId }, 'taking over a show’s lots failed')));
    owners.onLost((showId) => auctions.abandon(showId));
  } else {
    await auctions.recover();
  }
  const catalog = new Catalog(repo);
  const coupons = new Coupons(repo, moderation);
  const purchases = new Purchases({ repo, catalog, inventory, orders, participation: moderation, limits: config.purchases, limitStore: limits });
  const checkout = new Checkout({ repo, orders, coupons, attempts: new PaymentAttempts(repo), payments: opts.payments ?? createPaymentProvider(config.payments.provider) });
  // Charges a crash left unrecorded are settled before any order can expire or be paid again.
  await checkout.reconcile();
  const chat = new Chat({ repo, shows, moderation, limits });
  const hearts = new Hearts({ shows, limits, totals: redis ? new RedisHeartTotals(redis) : new MemoryHeartTotals() });
  const follows = new Follows(repo, limits);
  // Captions run where a show's media is, beside its LL-HLS encoder; their cues reach rooms through room updates.
  const { captions, service: captionService } = startCaptions({
    repo, shows, limits, rooms, engine: speechToTextFromConfig(config), ffmpegPath: config.demo.ffmpegPath, maxStreams: config.captions.maxStreams,
    // Transcript offsets follow the recording; settings read on the show's media node reach its stream here.
    replayClock: (showId) => hls.replayClock(showId),
    onSettings: (showId, s) => hls.setCaptions(showId, captionLanguage(s))
  });
  // LL-HLS viewers get captions as a subtitle rendition of this node's stream, announced while they are on.
  const captionLanguage = (s: CaptionSettings) => (captionService && s.enabled ? s.language : null);
  // Delivers the outbox the domains write in their transactions; one node of a cluster at a time.
  const webhooks = startWebhooks({ repo, redis, limits, policy: config.webhooks, retry: opts.webhookRetry });
  const stats = new ShowStatsTracker({ repo, rooms });
  // Encoders publish (WHIP) and players watch (WHEP) through the same rooms as the studio and the buyers.
  const webrtcHttp = startWebrtcHttp({ repo, shows, accounts, rooms, limits, iceServers: config.mediasoup.iceServers });
  chat.on('message', (showId) => (stats.message(showId), metrics.chatMessages.inc()));
  hearts.on('burst', (showId, count) => stats.hearts(showId, count));
  auctions.on('bids', (showId, count) => (stats.bids(showId, count), metrics.bids.inc(count)));
  orders.on('created', (o) => {
    metrics.orders.inc({ kind: o.lotId ? 'auction' : 'purchase' });
    if (o.showId) stats.order(o.showId);
  });
  orders.on('paid', (o) => o.showId && stats.revenue(o.showId, o.total));
  metrics.registerLiveGauges({
    rooms: () => rooms.openRooms().size,
    peers: () => [...rooms.openRooms()].reduce((n, r) => n + r.peerCount, 0),
    consumers: () => [...rooms.openRooms()].reduce((n, r) => n + [...r.peers()].reduce((m, p) => m + p.consumers.size, 0), 0),
    workerViewers: () => rooms.workerViewers(),
    pipes: () => media?.pipes() ?? { in: 0, out: 0 },
    workerCpuSeconds: () =>
      Promise.all(pool.workers.map(async (w) => {
        const u = await w.getResourceUsage();
        return { pid: w.pid, seconds: (u.ru_utime + u.ru_stime) / 1000 };
      }))
  });
  const overlay = new Overlay({ repo, shows, catalog, inventory, sales: new FlashSales(repo), coupons, participation: moderation });
  // Chat, the notice and the poll question in each viewer's language, from the show's spoken language.
  const translations = new Translations({ translator: await translatorFromConfig(config.translation), chat, overlay, shows, limits, showLanguage: async (showId) => (await captions.settings(showId)).language });
  // Timed metadata belongs to this server's own LL-HLS encoder, not to the room path (which a bus may replace).
  overlay.on('changed', (showId, _state, change) => hls.markOverlay(showId, change));
  captions.on('cue', (showId, cue) => hls.caption(showId, cue));
  captions.on('settings', (showId, s) => hls.setCaptions(showId, captionLanguage(s)));
  // An archived show keeps its replay for its buyers; a deleted one had no orders and leaves nothing behind.
  shows.on('removed', (showId, outcome) => outcome === 'deleted' && hls.discardRecording(showId));
  const localRooms = new LocalRoomBus(rooms, (showId) => shows.hostId(showId));
  // With Redis, every node's rooms hear what any node commits.
  const roomBus = redis ? await RedisRoomBus.start(redis, localRooms) : localRooms;
  const clusterRevocations = redis ? await ClusterRevocations.start(redis, sessions) : null;
  new RoomUpdates(roomBus, { shows, auctions, overlay, purchases, catalog, coupons, orders, chat, hearts, follows, captions });
  // Reserved stock whose payment window ran out goes back on sale.
  // Sweeps run once per interval across the cluster, not on every node.
  const stopExpiry = onceAcrossCluster(redis, 'expire-orders', 5_000, () => orders.expireOverdue());
  // Sessions idle past their expiry are deleted at start and hourly, not only when presented again.
  const swept = await sessions.sweepExpired();
  if (swept) log.info({ sessions: swept }, 'expired sessions swept');
  const stopSessionSweep = onceAcrossCluster(redis, 'sweep-sessions', 60 * 60_000, () => sessions.sweepExpired());

  const app = express();
  app.disable('x-powered-by');
  const inFlight = new InFlightRequests();
  app.use(inFlight.middleware);
  app.use(securityHeaders({ hsts: config.secureCookies }));
  app.use(['/api', '/media', '/hls', '/healthz', '/metrics', '/whip', '/whep'], dataOnlyPolicy);
  // req.ip names a client behind a proxy only for proxies TRUST_PROXY lists (see http/client-address.ts).
  app.set('trust proxy', config.trustProxy);
  // Readiness for load balancers. Still ok with lots set aside: the server serves; the count tells the operator to look at the log.
  const ffmpegPath = config.hls.enabled || config.demo.enabled ? config.demo.ffmpegPath : null;
  app.get('/healthz', readinessHandler({ database: repo, pool, ffmpegPath, auctionLotsSetAside: () => auctions.setAside.size }));
  // With METRICS_PORT, /metrics is served there alone (started below); here only without it, behind METRICS_TOKEN if set.
  if (config.metrics.port === undefined) app.get('/metrics', metricsHandler(config.metrics.token));
  app.use('/api', apiRouter({ sessions, apiTokens, accounts, shows, auctions, orders, sales, terms, catalog, purchases, checkout, coupons, overlay, chat, moderation, stats, follows, webhooks: webhooks.webhooks, streamKeys: webrtcHttp.streamKeys, encoderSessions: webrtcHttp.sessions, captions, translations, limits, uploadDir: config.uploadDir, secureCookies: config.secureCookies, allowedOrigins: config.allowedOrigins }));
  app.use('/media/products', express.static(path.join(config.uploadDir, 'products'), { maxAge: '30d', immutable: true, fallthrough: false }));
  app.use('/media/covers', express.static(path.join(config.uploadDir, 'covers'), { maxAge: '7d', immutable: true, fallthrough: false }));

  app.use(hls.router(media?.remoteHls, config.hls.redirectToOrigin));
  app.use(webrtcHttp.router);
  installAppContext({ sessions, apiTokens, accounts, shows, orders, sales, catalog, webhooks: webhooks.webhooks, hlsDir: config.hls.dir, secureCookies: config.secureCookies });
  if (opts.webHandler !== false) {
    const handlerFile = path.resolve('build/handler.js');
    if (!fs.existsSync(handlerFile)) throw new Error('The web app is not built; run `npm start` (or `npm run build`).');
    const { handler } = (await import(pathToFileURL(handlerFile).href)) as { handler: express.RequestHandler };
    app.use(handler);
  }
  // What nothing above answered (only without the web app) and every error: JSON, never a stack or a path.
  app.use((_req, _res, next) => next(new AppError('not_found', 'Not found.')));
  app.use(errorReply(log));

  const server = http.createServer(app);
  // Idle connections outlive a proxy's (nginx keeps upstream ones 60 s) and a client's pause, so the other
  // side closes first and never sends a request down a connection this server is closing at that moment.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const wss = attachWebSocketServer({
    server, sessions, shows, rooms,
    domainHandlers: (user, connectionId) => ({
      ...auctionHandlers(user, auctions),
      ...chatHandlers(user, connectionId, chat, hearts),
      ...overlayHandlers(user, overlay)
    }),
    allowedOrigins: config.allowedOrigins,
    clientAddress: clientAddressResolver(config.trustProxy),
    socketBudget,
    revocations: clusterRevocations ?? sessions });

  let demo: DemoShow | null = null;
  let stopDemoShop = () => {};
  if (config.demo.enabled) {
    demo = new DemoShow({ shows, rooms, ffmpegPath: config.demo.ffmpegPath });
    await demo.start();
    // Stocked once across nodes; its schedule then runs on one node per tick.
    const cast = await database.alone(() => seedDemoShop({ accounts, shows, catalog, uploadDir: config.uploadDir }));
    if (cast) stopDemoShop = new DemoSchedule({ cast, pace: demoPace(config.demo.lotSeconds), shows, auctions, orders, overlay, catalog, chat }).start(redis);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  httpPort = port;
  const url = `http://${hostPart(config.host)}:${port}`;
  log.info({ url, workers: pool.workers.length, node: nodeId }, 'Hawker is serving');
  const metricsServer = config.metrics.port === undefined ? null : await listenMetrics({ host: config.metrics.host, port: config.metrics.port, token: config.metrics.token });

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      // Drain: accept nothing new, send what is coalesced, tell ws clients to go, let requests finish.
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      metricsServer?.close();
      metricsServer?.closeAllConnections();
      stopExpiry();
      stopSessionSweep();
      stopDemoShop();
      await hearts.flush();
      hearts.close();
      // Flushed hearts reach their rooms' queues on the next turn; then the queues go out.
      await new Promise((resolve) => setImmediate(resolve));
      rooms.flushAll();
      const clients = [...wss.clients];
      const left = Promise.all(clients.map((c) => new Promise((resolve) => c.once('close', resolve))));
      // 1001 Going Away: clients reconnect (to this server once it is back, or another).
      for (const c of clients) c.close(1001, 'Server restarting');
      wss.close();
      await settledWithin(Promise.all([left, inFlight.settled()]), config.shutdownGraceMs);
      for (const c of wss.clients) c.terminate();
      server.closeAllConnections();
      await stopped;
      // Then media and state: FFmpeg finishes its recordings, rooms and mediasoup workers close.
      await captionService?.close();
      await translations.close();
      await hls.close();
      auctions.close();
      // Released rather than left to lapse: another node takes this node's shows at once.
      await media?.close();
      await owners?.close();
      await demo?.stop();
      webrtcHttp.close();
      await rooms.closeAll();
      const workersExited = pool.workers.map((w) => (w.subprocessClosed ? null : new Promise<void>((resolve) => w.once('subprocessclose', () => resolve()))));
      pool.close();
      await settledWithin(Promise.all(workersExited), 5_000);
      // The last second of counts the stats kept in memory.
      await stats.flush();
      // Webhook attempts in flight record their outcome before the database closes.
      await webhooks.close();
      await database.close();
      socketBudget.close();
      viewerCounts?.stop();
      await roomBus.close();
      await clusterRevocations?.close();
      await redis?.quit().catch(() => redis.disconnect());
    })());

  return { server, url, shows, accounts, sessions, apiTokens, rooms, auctions, orders, catalog, purchases, overlay, pool, hls, captions, captionService, demo, media, node: nodeId, close };
}

/** A host as it goes in a URL: an IPv6 address in brackets. */
function hostPart(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** Waits for `work`, or `ms` at most. */
async function settledWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
