import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { logger } from '../log.ts';
import { serve } from '../testing/serve-router.ts';
import { apiRoute } from './api-route.ts';
import { errorReply } from './error-reply.ts';

describe('API routes registered by their key in shared/api.ts', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(() => close?.());

  const start = async (register: (r: express.Router) => void) => {
    const r = express.Router();
    register(r);
    r.use(errorReply(logger('api-route-test')));
    const served = await serve(r);
    close = served.close;
    return served.base;
  };

  it("answer with the handler's body and status, on the key's method and path with its params", async () => {
    const base = await start((r) => {
      apiRoute(r, 'DELETE /shows/:id/chat/bans/:userId', (req) => {
        expect(req.params).toEqual({ id: 'show-1', userId: 'user-2' });
        return { ok: true };
      });
      apiRoute(r, 'POST /shows/:id/chat/bans', async () => ({ ok: true }), { status: 201 });
    });
    const removed = await fetch(`${base}/shows/show-1/chat/bans/user-2`, { method: 'DELETE' });
    expect([removed.status, await removed.json()]).toEqual([200, { ok: true }]);
    const created = await fetch(`${base}/shows/show-1/chat/bans`, { method: 'POST' });
    expect([created.status, await created.json()]).toEqual([201, { ok: true }]);
    expect((await fetch(`${base}/shows/show-1/chat/bans`)).status).toBe(404);
  });

  it('send what a handler throws, or its promise rejects with, to the error reply', async () => {
    const base = await start((r) => {
      apiRoute(r, 'GET /orders/:id', () => {
        throw new AppError('not_found', 'No such order.');
      });
      apiRoute(r, 'POST /orders/:id/pay', async () => {
        throw new Error('card network unreachable at 10.0.0.7');
      });
    });
    const missing = await fetch(`${base}/orders/o1`);
    expect([missing.status, await missing.json()]).toEqual([404, { error: { code: 'not_found', message: 'No such order.' } }]);
    const failed = await fetch(`${base}/orders/o1/pay`, { method: 'POST' });
    expect([failed.status, await failed.json()]).toEqual([500, { error: { code: 'internal', message: 'Something went wrong on the server.' } }]);
  });

  it('do not compile with a reply their DTO does not name, a route that does not exist or a param their path lacks', () => {
    const r = express.Router();
    // @ts-expect-error the show route replies `{show}`
    apiRoute(r, 'GET /shows/:id', () => ({ shows: [] }));
    // @ts-expect-error no such route
    apiRoute(r, 'GET /show/:id', () => ({ ok: true }));
    apiRoute(r, 'POST /shows/:id/chat/bans', (req) => {
      // @ts-expect-error the route has no `:userId`
      void req.params.userId;
      return { ok: true };
    });
    expect(r.stack).toHaveLength(3);
  });
});
