import path from 'node:path';
import express from 'express';
import { buySchema, cartCheckoutSchema, createProductSchema, lineupSchema, setStockSchema, updateProductSchema } from '#shared/commerce.ts';
import { canHost } from '#shared/auth.ts';
import { checkoutSchema } from '#shared/orders.ts';
import { parseInput } from '../http/validate.ts';
import { AppError } from '../errors.ts';
import { requireUser } from '../http/auth-middleware.ts';
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

  r.get('/products', (_req, res) => void res.json({ products: catalog.ownedBy(requireUser(res).id) }));
  r.post('/products', (req, res) => void res.status(201).json({ product: catalog.create(requireUser(res), parseInput(createProductSchema, req.body)) }));
  r.patch('/products/:id', (req, res) => void res.json({ product: catalog.update(requireUser(res), req.params.id, parseInput(updateProductSchema, req.body)) }));
  r.put('/variants/:id/stock', (req, res) => void res.json({ product: catalog.setStock(requireUser(res), req.params.id, parseInput(setStockSchema, req.body).stock) }));
  r.post('/products/:id/images', express.raw({ type: () => true, limit: MAX_IMAGE_BYTES }), async (req, res) => {
    const actor = requireUser(res);
    catalog.update(actor, req.params.id, { title: catalog.get(req.params.id).title });
    const file = await storeProductImage(path.join(deps.uploadDir, 'products'), Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
    res.status(201).json({ product: catalog.addImage(actor, req.params.id, file) });
  });

  r.get('/shows/:id/lineup', (req, res) => void res.json({ products: catalog.lineup(shows.get(req.params.id).id) }));
  r.put('/shows/:id/lineup', (req, res) => {
    const show = shows.assertCanRun(requireUser(res), req.params.id);
    res.json({ products: catalog.setLineup(show.host.id, show.id, parseInput(lineupSchema, req.body).productIds) });
  });
  r.get('/shows/:id/sales', (req, res) => {
    const show = shows.assertCanRun(requireUser(res), req.params.id);
    res.json({ orders: orders.forShow(show.id, show.host.id) });
  });
  r.get('/sales', (_req, res) => void res.json({ orders: orders.forSeller(requireUser(res).id) }));

  r.post('/buy', (req, res) => void res.status(201).json({ order: purchases.buy(res.locals.user, parseInput(buySchema, req.body)) }));
  r.post('/cart/checkout', (req, res) => {
    const input = parseInput(cartCheckoutSchema, req.body);
    res.status(201).json({ orders: purchases.checkoutCart(res.locals.user, input.items, input.idempotencyKey) });
  });
  r.get('/orders/:id', (req, res) => {
    const order = orders.get(req.params.id);
    if (order.buyerId !== requireUser(res).id) return void res.status(404).json({ error: { code: 'not_found', message: 'No such order.' } });
    res.json({ order: orders.dto(order) });
  });
  r.post('/orders/:id/pay', async (req, res) => {
    res.json({ order: await checkout.pay(res.locals.user, req.params.id, parseInput(checkoutSchema, req.body)) });
  });
  /** The order's stored seller, while still a host, or an admin ships or refunds it. */
  const sellerOrder = (res: express.Response, id: string) => {
    const actor = requireUser(res);
    const order = orders.get(id);
    const isSeller = order.sellerId === actor.id && canHost(actor.role);
    if (!isSeller && actor.role !== 'admin') throw new AppError('forbidden', 'Only the seller can act on this order.');
    return order;
  };
  r.post('/orders/:id/fulfil', (req, res) => void res.json({ order: orders.fulfil(sellerOrder(res, req.params.id).id) }));
  r.post('/orders/:id/refund', async (req, res) => void res.json({ order: await checkout.refund(sellerOrder(res, req.params.id).id) }));
  r.post('/coupons/:id/claim', (req, res) => void res.json({ coupon: coupons.claim(requireUser(res).id, req.params.id) }));
  return r;
}
