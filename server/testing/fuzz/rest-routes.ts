import type http from 'node:http';
import type { z } from 'zod';
import { setRoleSchema, signInSchema, signUpSchema } from '#shared/auth.ts';
import { createLotSchema } from '#shared/auctions.ts';
import { banSchema, blocklistSchema, moderateSchema, moderationEventSchema, reportSchema, slowModeSchema, timeoutSchema } from '#shared/chat.ts';
import {
  buySchema, cartCheckoutSchema, createCouponSchema, createDropSchema, createPollSchema, createProductSchema, lineupSchema,
  noticeSchema, pinSchema, setStockSchema, updateProductSchema
} from '#shared/commerce.ts';
import { checkoutSchema, fulfilSchema, refundSchema, sellerTermsSchema } from '#shared/orders.ts';
import { createShowSchema, updateShowSchema } from '#shared/shows.ts';
import { kindOfKey, type IdKind } from './id-pools.ts';

export interface RestRoute {
  method: string;
  /** Express path pattern, e.g. `/api/shows/:id/lots`. */
  path: string;
  /** What each `:param` names, from the path segment before it (`/lots/:id` names a lot). */
  params: { name: string; kind: IdKind | null }[];
}

interface RouterLayer {
  rawPath?: unknown;
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: RouterLayer[] };
}

/**
 * Every route of the running server under /api, read from express's router stack, so a
 * route added later is fuzzed without being listed here.
 */
export function apiRoutes(server: http.Server): RestRoute[] {
  const app = server.listeners('request')[0] as unknown as { router: { stack: RouterLayer[] } };
  const routes: RestRoute[] = [];
  const walk = (stack: RouterLayer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const path = prefix + layer.route.path;
        for (const method of Object.keys(layer.route.methods)) {
          if (method !== '_all' && path.startsWith('/api/')) routes.push({ method: method.toUpperCase(), path, params: paramsOf(path) });
        }
      } else if (layer.handle?.stack) {
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, prefix + mount);
      }
    }
  };
  walk(app.router.stack, '');
  return routes;
}

function paramsOf(path: string): RestRoute['params'] {
  const segments = path.split('/');
  return segments.flatMap((s, i) => {
    if (!s.startsWith(':')) return [];
    const name = s.slice(1);
    const kind = name === 'id' ? kindOfKey(segments[i - 1] === 'messages' ? 'message' : segments[i - 1]!.replace(/s$/, '')) : kindOfKey(name.replace(/Id$/, ''));
    return [{ name, kind }];
  });
}

/** The schema each known route parses its body with; routes not listed get bodies of any known shape. */
export const bodySchemas: Record<string, z.ZodType> = {
  'POST /api/auth/signup': signUpSchema,
  'POST /api/auth/signin': signInSchema,
  'PUT /api/users/role': setRoleSchema,
  'POST /api/shows': createShowSchema,
  'PATCH /api/shows/:id': updateShowSchema,
  'POST /api/shows/:id/lots': createLotSchema,
  'POST /api/products': createProductSchema,
  'PATCH /api/products/:id': updateProductSchema,
  'PUT /api/variants/:id/stock': setStockSchema,
  'PUT /api/shows/:id/lineup': lineupSchema,
  'POST /api/buy': buySchema,
  'POST /api/cart/checkout': cartCheckoutSchema,
  'POST /api/orders/:id/pay': checkoutSchema,
  'POST /api/orders/:id/fulfil': fulfilSchema,
  'PUT /api/seller-terms': sellerTermsSchema,
  'POST /api/orders/:id/refund': refundSchema,
  'PUT /api/shows/:id/notice': noticeSchema,
  'PUT /api/shows/:id/pins': pinSchema,
  'POST /api/shows/:id/drops': createDropSchema,
  'POST /api/shows/:id/coupons': createCouponSchema,
  'POST /api/shows/:id/polls': createPollSchema,
  'DELETE /api/chat/messages/:id': moderateSchema,
  'POST /api/chat/messages/:id/report': reportSchema,
  'POST /api/shows/:id/chat/timeouts': timeoutSchema,
  'POST /api/shows/:id/chat/bans': banSchema,
  'DELETE /api/shows/:id/chat/bans/:userId': moderateSchema,
  'POST /api/shows/:id/chat/blocks': banSchema,
  'PUT /api/shows/:id/chat/slow-mode': slowModeSchema,
  'PUT /api/shows/:id/chat/blocklist': blocklistSchema,
  'POST /api/shows/:id/moderation-events': moderationEventSchema
};
