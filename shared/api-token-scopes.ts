import type { ApiRoute } from './api.ts';
import type { TokenScope } from './api-tokens.ts';

/**
 * The scope an API token needs for each route; `null` for routes only a signed-in session may call:
 * accounts and sign-in, managing tokens and webhooks (a token cannot mint tokens or send events to a new
 * address), and buying (a token runs a shop, it does not spend its owner's money). A token also needs its owner's rights, as a session would.
 * Every route must have a row, so a new route is refused to tokens until someone decides its scope.
 */
export const routeScopes: Record<ApiRoute, TokenScope | null> = {
  'POST /auth/signup': null,
  'POST /auth/signin': null,
  'POST /auth/signout': null,
  'GET /me': 'read',
  'PUT /users/role': null,

  'GET /shows': 'read',
  'GET /shows/:id': 'read',
  'POST /shows': 'shows',
  'PATCH /shows/:id': 'shows',
  'POST /shows/:id/live': 'shows',
  'POST /shows/:id/end': 'shows',
  'PUT /shows/:id/cover': 'shows',
  'POST /shows/:id/duplicate': 'shows',
  'DELETE /shows/:id': 'shows',
  'GET /shows/:id/stats': 'read',
  'GET /shows/:id/stream-key': 'read',
  'POST /shows/:id/stream-key': 'shows',
  'GET /shows/:id/captions': 'read',
  'PUT /shows/:id/captions': 'shows',
  'GET /shows/:id/transcript': 'read',

  'GET /shows/:id/lots': 'read',
  'POST /shows/:id/lots': 'commerce',
  'POST /lots/:id/start': 'commerce',
  'POST /lots/:id/cancel': 'commerce',
  'POST /lots/:id/offer-runner-up': 'commerce',

  'GET /products': 'read',
  'POST /products': 'commerce',
  'PATCH /products/:id': 'commerce',
  'POST /products/:id/duplicate': 'commerce',
  'DELETE /products/:id': 'commerce',
  'PUT /variants/:id/stock': 'commerce',
  'POST /products/:id/images': 'commerce',
  'GET /shows/:id/lineup': 'read',
  'PUT /shows/:id/lineup': 'commerce',
  'GET /shows/:id/sales': 'read',
  'GET /seller-terms': 'read',
  'PUT /seller-terms': 'commerce',
  'GET /sales': 'read',
  'GET /sales.csv': 'read',
  'POST /buy': null,
  'POST /cart/checkout': null,
  'GET /orders': 'read',
  'GET /orders/:id': 'read',
  'POST /orders/:id/pay': null,
  'POST /orders/pay-together': null,
  'POST /orders/pay-together/quote': null,
  'POST /orders/:id/cancel': null,
  'POST /orders/:id/fulfil': 'commerce',
  'POST /orders/:id/refund': 'commerce',
  'POST /coupons/:id/claim': null,

  'GET /shows/:id/overlay': 'read',
  'GET /shows/:id/timeline': 'read',
  'PUT /shows/:id/notice': 'shows',
  'PUT /shows/:id/pins': 'shows',
  'POST /shows/:id/drops': 'commerce',
  'POST /shows/:id/coupons': 'commerce',
  'POST /shows/:id/polls': 'shows',

  'DELETE /chat/messages/:id': 'shows',
  'POST /chat/messages/:id/report': null,
  'POST /shows/:id/chat/timeouts': 'shows',
  'POST /shows/:id/chat/bans': 'shows',
  'DELETE /shows/:id/chat/bans/:userId': 'shows',
  'POST /shows/:id/chat/blocks': 'shows',
  'PUT /shows/:id/chat/slow-mode': 'shows',
  'PUT /shows/:id/chat/pin': 'shows',
  'PUT /shows/:id/chat/blocklist': 'shows',
  'GET /shows/:id/translation': 'read',
  // Translating is for viewers' browsers: a token only reads, and this costs the translator's time.
  'POST /shows/:id/translations': null,
  'POST /shows/:id/moderation-events': 'shows',
  'GET /shows/:id/moderation-log': 'read',

  'GET /hosts/:id/follow': 'read',
  'PUT /hosts/:id/follow': null,
  'DELETE /hosts/:id/follow': null,

  'GET /openapi.json': 'read',
  'GET /docs': 'read',

  'GET /api-tokens': null,
  'POST /api-tokens': null,
  'DELETE /api-tokens/:id': null,

  // Registering where a shop's events go, and sending them again, is for a signed-in session: a leaked token must not redirect them.
  'GET /webhooks': 'read',
  'POST /webhooks': null,
  'DELETE /webhooks/:id': null,
  'GET /webhooks/:id/deliveries': 'read',
  'POST /webhooks/:id/deliveries/:deliveryId/replay': null
};

/** Why a token may not call a route, or null when it may (its owner's rights are checked after). */
export function tokenRefusal(route: ApiRoute, scopes: readonly TokenScope[]): { reason: 'session_only' } | { reason: 'insufficient_scope'; scope: TokenScope } | null {
  // A route missing from the table (only possible while types are ignored) is refused, never allowed.
  const needed = Object.hasOwn(routeScopes, route) ? routeScopes[route] : null;
  if (needed === null) return { reason: 'session_only' };
  return scopes.includes(needed) ? null : { reason: 'insufficient_scope', scope: needed };
}
