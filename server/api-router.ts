import express from 'express';
import { AppError } from './errors.ts';
import { logger } from './log.ts';
import { chatRoutes } from './chat/routes.ts';
import { statsRoutes } from './stats/routes.ts';
import type { Chat } from './chat/chat.ts';
import type { ChatModeration } from './chat/chat-moderation.ts';
import type { ShowStatsTracker } from './stats/show-stats.ts';
import type { SessionStore } from './auth/session.ts';
import type { Accounts } from './auth/accounts.ts';
import type { Shows } from './shows/shows.ts';
import { authRoutes } from './auth/routes.ts';
import { showRoutes } from './shows/routes.ts';
import { auctionRoutes } from './auctions/routes.ts';
import { orderRoutes } from './commerce/order-routes.ts';
import type { Auctions } from './auctions/auctions.ts';
import type { Orders } from './commerce/orders.ts';
import type { Catalog } from './commerce/catalog.ts';
import type { Purchases } from './commerce/purchases.ts';
import type { Checkout } from './commerce/checkout.ts';
import type { Coupons } from './commerce/coupons.ts';
import type { Overlay } from './overlay/overlay.ts';
import { commerceRoutes } from './commerce/routes.ts';
import { salesRoutes } from './commerce/sales-routes.ts';
import type { Sales } from './commerce/sales.ts';
import { overlayRoutes } from './overlay/routes.ts';
import { authenticate } from './auth/authenticate.ts';
import { sameOriginWrites } from './http/origin.ts';
import { errorReply } from './http/error-reply.ts';

const log = logger('api');

/** The JSON API under /api: every input parsed with a schema, every error `{error: {code, message}}`. */
export function apiRouter(deps: {
  sessions: SessionStore;
  accounts: Accounts;
  shows: Shows;
  auctions: Auctions;
  orders: Orders;
  sales: Sales;
  catalog: Catalog;
  purchases: Purchases;
  checkout: Checkout;
  coupons: Coupons;
  overlay: Overlay;
  chat: Chat;
  moderation: ChatModeration;
  stats: ShowStatsTracker;
  uploadDir: string;
  secureCookies: boolean;
  allowedOrigins: readonly string[];
}): express.Router {
  const api = express.Router();
  api.use(sameOriginWrites(deps.allowedOrigins));
  api.use(authenticate(deps.sessions, deps.secureCookies));
  api.use(express.json({ limit: '32kb' }));
  api.use(authRoutes(deps));
  api.use(showRoutes(deps));
  api.use(auctionRoutes(deps));
  api.use(orderRoutes(deps));
  api.use(commerceRoutes(deps));
  api.use(salesRoutes(deps));
  api.use(overlayRoutes(deps));
  api.use(chatRoutes(deps));
  api.use(statsRoutes(deps));
  api.use((_req, _res, next) => next(new AppError('not_found', 'No such API route.')));
  api.use(errorReply(log));
  return api;
}
