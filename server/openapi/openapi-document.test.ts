import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { setStockSchema } from '#shared/commerce.ts';
import { chatPinSchema } from '#shared/chat.ts';
import { showStatusQuerySchema } from '#shared/shows.ts';
import { AppError } from '../errors.ts';
import { apiRoute } from '../http/api-route.ts';
import { errorReply } from '../http/error-reply.ts';
import { logger } from '../log.ts';
import { serve } from '../testing/serve-router.ts';
import { openApiDocument } from './openapi-document.ts';

const product = { id: 'p1', ownerId: 'u1', title: 'Mug', description: '', currency: 'USD' as const, price: 100, images: [], variants: [] };

/** A router with a described write, a described read with a query, an optional body and one route without a description. */
function router(): express.Router {
  const r = express.Router();
  apiRoute(r, 'PUT /variants/:id/stock', (_req, res, input) => {
    if (!res.locals.allowed) throw new AppError('forbidden', 'Not yours.');
    return { product: { ...product, variants: [{ id: 'v1', name: '', sku: null, price: 100, stock: input.body.stock }] } };
  }, { doc: { tag: 'Catalog', who: 'owner', summary: 'Set stock', body: setStockSchema, errors: ['conflict'] } });
  // Reading the input is what parses it.
  apiRoute(r, 'GET /shows', (_req, _res, input) => (void input.query, { shows: [] }), { doc: { tag: 'Shows', who: 'anyone', summary: 'List', query: showStatusQuerySchema } });
  apiRoute(r, 'PUT /shows/:id/chat/pin', (_req, _res, input) => (void input.body, { ok: true }), {
    doc: { tag: 'Chat', who: 'moderator', summary: 'Pin', body: chatPinSchema, optionalBody: true }
  });
  apiRoute(r, 'GET /orders', () => ({ orders: [] }));
  return r;
}

describe('route descriptions', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(() => close?.());

  it('parse the described input only when the handler reads it, after its own checks', async () => {
    const app = express.Router();
    app.use(express.json());
    app.use((req, res, next) => ((res.locals.allowed = req.headers['x-allowed'] === 'yes'), next()));
    app.use(router());
    app.use(errorReply(logger('openapi-test')));
    const served = await serve(app);
    close = served.close;
    const put = (body: unknown, allowed: boolean) =>
      fetch(`${served.base}/variants/v1/stock`, { method: 'PUT', headers: { 'content-type': 'application/json', 'x-allowed': allowed ? 'yes' : 'no' }, body: JSON.stringify(body) });
    // Refused before the bad body is looked at; a bad body from someone allowed is a 400 naming the field.
    expect((await put({ stock: -1 }, false)).status).toBe(403);
    const bad = await put({ stock: -1 }, true);
    expect([bad.status, ((await bad.json()) as { error: { field: string } }).error.field]).toEqual([400, 'stock']);
    expect(((await (await put({ stock: 7 }, true)).json()) as { product: { variants: { stock: number }[] } }).product.variants[0]!.stock).toBe(7);
    // A described optional body may be left out; the query is parsed too.
    expect((await fetch(`${served.base}/shows/s1/chat/pin`, { method: 'PUT' })).status).toBe(200);
    expect((await fetch(`${served.base}/shows?status=nope`)).status).toBe(400);
  });

  it('become operations of an OpenAPI 3.1 document; a route without one is left out', () => {
    const doc = openApiDocument(router(), '1.2.3') as unknown as {
      openapi: string;
      info: { version: string };
      paths: Record<string, Record<string, { parameters?: { in: string; name: string; required?: boolean }[]; requestBody?: { required: boolean }; responses: Record<string, unknown>; security: unknown[]; tags: string[] }>>;
    };
    expect([doc.openapi, doc.info.version]).toEqual(['3.1.0', '1.2.3']);
    expect(Object.keys(doc.paths).sort()).toEqual(['/shows', '/shows/{id}/chat/pin', '/variants/{id}/stock']);
    const stock = doc.paths['/variants/{id}/stock']!.put!;
    expect(stock.parameters).toEqual([expect.objectContaining({ in: 'path', name: 'id', required: true })]);
    expect(stock.requestBody?.required).toBe(true);
    expect(Object.keys(stock.responses).sort()).toEqual(['200', '400', '401', '403', '404', '409']);
    // Writes to the catalog take a session or a token with the commerce scope.
    expect(stock.security).toEqual([{ session: [] }, { apiToken: ['commerce'] }]);
    const list = doc.paths['/shows']!.get!;
    expect(list.parameters).toEqual([expect.objectContaining({ in: 'query', name: 'status' })]);
    // Anyone may call it: no credentials is one of the options.
    expect(list.security).toEqual([{}, { session: [] }, { apiToken: ['read'] }]);
    expect(doc.paths['/shows/{id}/chat/pin']!.put!.requestBody?.required).toBe(false);
  });
});
