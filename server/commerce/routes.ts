import path from 'node:path';
import express from 'express';
import { buySchema, cartCheckoutSchema, createProductSchema, lineupSchema, setStockSchema, updateProductSchema } from '#shared/commerce.ts';
import { checkoutSchema, payTogetherQuoteSchema, payTogetherSchema } from '#shared/orders.ts';
import { apiRoute } from '../http/api-route.ts';
import { parseInput } from '../http/validate.ts';
import { AppError } from '../errors.ts';
import { requireUser } from '../http/current-user.ts';
import type { Shows } from '../shows/shows.ts';
import type { Catalog } from './catalog.ts';
import type { Checkout } from './checkout.ts';
import type { Coupons } from './coupons.ts';
import { MAX_IMAGE_BYTES, storeProductImage } from './images.ts';
import type { Orders } from './orders.ts';
import type { Purchases } from './purchases.ts';

export function commerceRoutes(deps: {
  shows: Shows; catalog: Catalog; purchases: Purchases; checkout: Checkout; orders: Orders; coupons: Coupons; uploadDir: string;
}): express.Router {
  const r = express.Router();
  const { shows, catalog, purchases, checkout, orders, coupons } = deps;

  apiRoute(r, 'GET /products', async (_req, res) => ({ products: await catalog.ownedBy(requireUser(res).id) }));
  apiRoute(r, 'POST /products', async (req, res) => ({ product: await catalog.create(requireUser(res), parseInput(createProductSchema, req.body)) }), { status: 201 });
  apiRoute(r, 'PATCH /products/:id', async (req, res) => ({ product: await catalog.update(requireUser(res), req.params.id, parseInput(updateProductSchema, req.body)) }));
  apiRoute(r, 'POST /products/:id/duplicate', async (req, res) => ({ product: await catalog.duplicate(requireUser(res), req.params.id) }), { status: 201 });
  apiRoute(r, 'DELETE /products/:id', async (req, res) => ({ outcome: await catalog.remove(requireUser(res), req.params.id) }));
  apiRoute(r, 'PUT /variants/:id/stock', async (req, res) => ({ product: await catalog.setStock(requireUser(res), req.params.id, parseInput(setStockSchema, req.body).stock) }));
  apiRoute(r, 'POST /products/:id/images', async (req, res) => {
    const actor = requireUser(res);
    await catalog.update(actor, req.params.id, { title: (await catalog.get(req.params.id)).title });
    const file = await storeProductImage(path.join(deps.uploadDir, 'products'), Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
    return { product: await catalog.addImage(actor, req.params.id, file) };
  }, { status: 201, before: [express.raw({ type: () => true, limit: MAX_IMAGE_BYTES })] });

  apiRoute(r, 'GET /shows/:id/lineup', async (req) => ({ products: await catalog.lineup((await shows.get(req.params.id)).id) }));
  apiRoute(r, 'PUT /shows/:id/lineup', async (req, res) => {
    const show = await shows.assertCanRun(requireUser(res), req.params.id);
    return { products: await catalog.setLineup(show.host.id, show.id, parseInput(lineupSchema, req.body).productIds) };
  });
  apiRoute(r, 'GET /shows/:id/sales', async (req, res) => {
    const show = await shows.assertCanRun(requireUser(res), req.params.id);
    return { orders: await orders.forShow(show.id, show.host.id) };
  });

  apiRoute(r, 'POST /buy', async (req, res) => ({ order: await purchases.buy(res.locals.user, parseInput(buySchema, req.body)) }), { status: 201 });
  apiRoute(r, 'POST /cart/checkout', async (req, res) => {
    const input = parseInput(cartCheckoutSchema, req.body);
    return { orders: await purchases.checkoutCart(res.locals.user, input.items, input.idempotencyKey) };
  }, { status: 201 });
  apiRoute(r, 'GET /orders/:id', async (req, res) => {
    const order = await orders.get(req.params.id);
    if (order.buyerId !== requireUser(res).id) throw new AppError('not_found', 'No such order.');
    return { order: await orders.dto(order) };
  });
  apiRoute(r, 'POST /orders/:id/pay', async (req, res) => ({ order: await checkout.pay(res.locals.user, req.params.id, parseInput(checkoutSchema, req.body)) }));
  apiRoute(r, 'POST /orders/pay-together', async (req, res) => ({ orders: await checkout.payTogether(res.locals.user, parseInput(payTogetherSchema, req.body)) }));
  apiRoute(r, 'POST /orders/pay-together/quote', async (req, res) => ({ quote: await checkout.quoteTogether(res.locals.user, parseInput(payTogetherQuoteSchema, req.body).orderIds) }));
  apiRoute(r, 'POST /coupons/:id/claim', async (req, res) => ({ coupon: await coupons.claim(requireUser(res).id, req.params.id) }));
  return r;
}
