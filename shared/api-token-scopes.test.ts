import { describe, expect, it } from 'vitest';
import type { ApiRoute } from './api.ts';
import { createApiTokenSchema } from './api-tokens.ts';
import { routeScopes, tokenRefusal } from './api-token-scopes.ts';

const routes = Object.keys(routeScopes) as ApiRoute[];
const sessionOnly = ['GET /api-tokens', 'POST /api-tokens', 'DELETE /api-tokens/:id', 'POST /auth/signin', 'POST /auth/signup', 'POST /auth/signout', 'PUT /users/role', 'POST /buy', 'POST /orders/:id/pay'] as const;

describe('API token scopes', () => {
  it('lets `read` call every GET but managing tokens, and nothing that writes', () => {
    for (const route of routes) {
      const refusal = tokenRefusal(route, ['read']);
      if (route.startsWith('GET ') && route !== 'GET /api-tokens') expect(refusal, route).toBeNull();
      else expect(refusal, route).not.toBeNull();
    }
  });

  it('keeps `shows` to running shows and `commerce` to selling', () => {
    expect(tokenRefusal('PATCH /shows/:id', ['shows'])).toBeNull();
    expect(tokenRefusal('POST /shows/:id/live', ['shows'])).toBeNull();
    expect(tokenRefusal('POST /shows/:id/chat/bans', ['shows'])).toBeNull();
    expect(tokenRefusal('POST /products', ['shows'])).toEqual({ reason: 'insufficient_scope', scope: 'commerce' });
    expect(tokenRefusal('POST /products', ['commerce'])).toBeNull();
    expect(tokenRefusal('POST /lots/:id/start', ['commerce'])).toBeNull();
    expect(tokenRefusal('POST /shows/:id/drops', ['commerce'])).toBeNull();
    expect(tokenRefusal('POST /orders/:id/refund', ['commerce'])).toBeNull();
    expect(tokenRefusal('POST /shows', ['commerce'])).toEqual({ reason: 'insufficient_scope', scope: 'shows' });
    expect(tokenRefusal('GET /shows', ['shows', 'commerce'])).toEqual({ reason: 'insufficient_scope', scope: 'read' });
  });

  it('refuses tokens of every scope on session-only routes: accounts, tokens themselves, buying', () => {
    for (const route of sessionOnly) expect(tokenRefusal(route, ['read', 'shows', 'commerce']), route).toEqual({ reason: 'session_only' });
  });

  it('gives no write to `read`, and every route one rule', () => {
    for (const route of routes) {
      const scope = routeScopes[route];
      expect(scope === 'read', route).toBe(route.startsWith('GET ') && scope !== null);
    }
  });

  it('refuses a route the table does not know', () => {
    expect(tokenRefusal('POST /nowhere' as ApiRoute, ['read', 'shows', 'commerce'])).toEqual({ reason: 'session_only' });
    expect(tokenRefusal('constructor' as ApiRoute, ['read'])).toEqual({ reason: 'session_only' });
  });
});

describe('createApiTokenSchema', () => {
  it('keeps each scope once, in a fixed order, and refuses an empty or unknown one', () => {
    expect(createApiTokenSchema.parse({ name: ' CI ', scopes: ['commerce', 'read', 'commerce'] })).toEqual({ name: 'CI', scopes: ['read', 'commerce'] });
    expect(createApiTokenSchema.safeParse({ name: 'CI', scopes: [] }).success).toBe(false);
    expect(createApiTokenSchema.safeParse({ name: 'CI', scopes: ['admin'] }).success).toBe(false);
    expect(createApiTokenSchema.safeParse({ name: '', scopes: ['read'] }).success).toBe(false);
    expect(createApiTokenSchema.safeParse({ name: 'x'.repeat(61), scopes: ['read'] }).success).toBe(false);
  });
});
