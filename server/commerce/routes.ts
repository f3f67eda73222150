import path from 'node:path';
import express from 'express';
import { buySchema, cartCheckoutSchema, createProductSchema, lineupSchema, setStockSchema, updateProductSchema } from '#shared/commerce.ts';
import { checkoutSchema, payTogetherQuoteSchema, payTogetherSchema } from '#shared/orders.ts';
import { COVER_TYPES } from '#shared/shows.ts';
import { apiRoute } from '../http/api-route.ts';
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

  const tag = 'Catalog';
  apiRoute(r, 'GET /products', async (_req, res) => ({ products: await catalog.ownedBy(requireUser(res).id) }), { doc: { tag, who: 'signed-in', summary: "The caller's products" } });
  apiRoute(r, 'POST /products', async (_req, res, input) => ({ product: await catalog.create(requireUser(res), input.body) }), {
    status: 201,
    doc: { tag, who: 'host', summary: 'Add a product', description: 'Without variants the product has one unnamed variant holding `stock`.', body: createProductSchema }
  });
  apiRoute(r, 'PATCH /products/:id', async (req, res, input) => ({ product: await catalog.update(requireUser(res), req.params.id, input.body) }), {
    doc: { tag, who: 'owner', summary: 'Edit a product', body: updateProductSchema }
  });
  apiRoute(r, 'POST /products/:id/duplicate', async (req, res) => ({ product: await catalog.duplicate(requireUser(res), req.params.id) }), {
    status: 201,
    doc: { tag, who: 'owner', summary: 'Copy a product' }
  });
  apiRoute(r, 'DELETE /products/:id', async (req, res) => ({ outcome: await catalog.remove(requireUser(res), req.params.id) }), {
    doc: { tag, who: 'owner', summary: 'Delete a product', description: 'A product never ordered is deleted; one with orders is archived.' }
  });
  apiRoute(r, 'PUT /variants/:id/stock', async (req, res, input) => ({ product: await catalog.setStock(requireUser(res), req.params.id, input.body.stock) }), {
    doc: { tag, who: 'owner', summary: "Set a variant's stock", body: setStockSchema, errors: ['conflict'] }
  });
  apiRoute(r, 'POST /products/:id/images', async (req, res) => {
    const actor = requireUser(res);
    await catalog.update(actor, req.params.id, { title: (await catalog.get(req.params.id)).title });
    const file = await storeProductImage(path.join(deps.uploadDir, 'products'), Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
    return { product: await catalog.addImage(actor, req.params.id, file) };
  }, {
    status: 201,
    before: [express.raw({ type: () => true, limit: MAX_IMAGE_BYTES })],
    // The same image kinds covers take: the bytes decide, then the server re-encodes them.
    doc: { tag, who: 'owner', summary: 'Add an image to a product', description: 'At most 8 per product.', upload: { types: COVER_TYPES, maxBytes: MAX_IMAGE_BYTES }, errors: ['conflict'] }
  });

  apiRoute(r, 'GET /shows/:id/lineup', async (req) => ({ products: await catalog.lineup((await shows.get(req.params.id)).id) }), {
    doc: { tag, who: 'anyone', summary: "A show's lineup", description: 'The products on sale in the show, in order.' }
  });
  apiRoute(r, 'PUT /shows/:id/lineup', async (req, res, input) => {
    const show = await shows.assertCanRun(requireUser(res), req.params.id);
    return { products: await catalog.setLineup(show.host.id, show.id, input.body.productIds) };
  }, { doc: { tag, who: 'show-host', summary: "Set a show's lineup", body: lineupSchema } });
  apiRoute(r, 'GET /shows/:id/sales', async (req, res) => {
    const show = await shows.assertCanRun(requireUser(res), req.params.id);
    return { orders: await orders.forShow(show.id, show.host.id) };
  }, { doc: { tag: 'Sales', who: 'show-host', summary: "A show's orders" } });

  apiRoute(r, 'POST /buy', async (_req, res, input) => ({ order: await purchases.buy(res.locals.user, input.body) }), {
    status: 201,
    doc: {
      tag: 'Orders',
      who: 'signed-in',
      summary: 'Buy now',
      description: 'Reserves the item at the server’s price as an unpaid order. A retry with the same `idempotencyKey` returns the same order. Not from one’s own shop.',
      body: buySchema,
      errors: ['conflict', 'invalid_state', 'rate_limited']
    }
  });
  apiRoute(r, 'POST /cart/checkout', async (_req, res, input) => ({ orders: await purchases.checkoutCart(res.locals.user, input.body.items, input.body.idempotencyKey) }), {
    status: 201,
    doc: { tag: 'Orders', who: 'signed-in', summary: 'Check out a cart', description: 'Reserves every line at once, as one order per seller and show.', body: cartCheckoutSchema, errors: ['conflict', 'invalid_state', 'rate_limited'] }
  });
  apiRoute(r, 'GET /orders/:id', async (req, res) => {
    const order = await orders.get(req.params.id);
    if (order.buyerId !== requireUser(res).id) throw new AppError('not_found', 'No such order.');
    return { order: await orders.dto(order) };
  }, { doc: { tag: 'Orders', who: 'buyer', summary: 'One of the caller’s orders' } });
  apiRoute(r, 'POST /orders/:id/pay', async (req, res, input) => ({ order: await checkout.pay(res.locals.user, req.params.id, input.body) }), {
    doc: { tag: 'Orders', who: 'buyer', summary: 'Pay an order', body: checkoutSchema, errors: ['conflict', 'invalid_state', 'payment_failed'] }
  });
  apiRoute(r, 'POST /orders/pay-together', async (_req, res, input) => ({ orders: await checkout.payTogether(res.locals.user, input.body) }), {
    doc: { tag: 'Orders', who: 'buyer', summary: 'Pay several orders at once', description: 'Unpaid orders from one show and seller: one charge, combined shipping.', body: payTogetherSchema, errors: ['conflict', 'invalid_state', 'payment_failed'] }
  });
  apiRoute(r, 'POST /orders/pay-together/quote', async (_req, res, input) => ({ quote: await checkout.quoteTogether(res.locals.user, input.body.orderIds) }), {
    doc: { tag: 'Orders', who: 'buyer', summary: 'Price paying several orders at once', description: 'What paying them together would charge; changes nothing.', body: payTogetherQuoteSchema, errors: ['invalid_state'] }
  });
  apiRoute(r, 'POST /coupons/:id/claim', async (req, res) => ({ coupon: await coupons.claim(requireUser(res).id, req.params.id) }), {
    doc: { tag: 'Orders', who: 'signed-in', summary: 'Claim a coupon', description: 'A coupon the host pushed in a show; used at payment by its code.', errors: ['conflict', 'invalid_state'] }
  });
  return r;
}
