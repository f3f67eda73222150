import express from 'express';
import { canHost, type PublicUser } from '#shared/auth.ts';
import { fulfilSchema, refundSchema, salesFilterSchema, sellerTermsSchema } from '#shared/orders.ts';
import { AppError } from '../errors.ts';
import { apiRoute } from '../http/api-route.ts';
import { requireUser } from '../http/current-user.ts';
import { parseInput } from '../http/validate.ts';
import type { LimitStore, SharedLimit } from '../limits/shared-limits.ts';
import type { Checkout } from './checkout.ts';
import type { Orders } from './orders.ts';
import { salesCsv } from './sales-csv.ts';
import type { Sales } from './sales.ts';
import type { SellerTerms } from './seller-terms.ts';

/** The seller's side of orders: terms, listing, export, shipping and refunds, whether or not the show still runs. */
export function salesRoutes(deps: { orders: Orders; sales: Sales; terms: SellerTerms; checkout: Checkout; limits: LimitStore }): express.Router {
  const r = express.Router();
  const { orders, sales, terms, checkout } = deps;
  // An export reads up to MAX_SALES orders and a terms change is a write: both are counted per seller.
  const exportLimit = deps.limits.limit({ name: 'sales-exports', limit: 10, windowSeconds: 60 });
  const termsLimit = deps.limits.limit({ name: 'seller-terms', limit: 20, windowSeconds: 60 });
  const limited = async (limiter: SharedLimit, seller: PublicUser, what: string): Promise<PublicUser> => {
    if (!(await limiter.take(seller.id))) throw new AppError('rate_limited', `Too many ${what} in a minute. Wait a moment and try again.`);
    return seller;
  };

  const requireSeller = (res: express.Response): PublicUser => {
    const actor = requireUser(res);
    if (!canHost(actor.role)) throw new AppError('forbidden', 'Only hosts sell.');
    return actor;
  };
  /** The order's stored seller, while still a host, or an admin ships or refunds it. */
  const sellerOrder = async (res: express.Response, id: string) => {
    const actor = requireUser(res);
    const order = await orders.get(id);
    const isSeller = order.sellerId === actor.id && canHost(actor.role);
    if (!isSeller && actor.role !== 'admin') throw new AppError('forbidden', 'Only the seller can act on this order.');
    return order;
  };

  apiRoute(r, 'GET /seller-terms', async (_req, res) => ({ terms: await terms.list(requireSeller(res).id) }));
  apiRoute(r, 'PUT /seller-terms', async (req, res) => {
    const seller = await limited(termsLimit, requireSeller(res), 'changes to shipping and tax');
    return { terms: await terms.set(seller.id, parseInput(sellerTermsSchema, req.body)) };
  });
  apiRoute(r, 'GET /sales', async (req, res) => ({ orders: await sales.list(requireSeller(res), parseInput(salesFilterSchema, req.query)) }));
  r.get('/sales.csv', async (req, res) => {
    const list = await sales.list(await limited(exportLimit, requireSeller(res), 'exports'), parseInput(salesFilterSchema, req.query));
    res.set({ 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="orders.csv"', 'cache-control': 'no-store' });
    // The byte-order mark makes spreadsheet apps read the names as UTF-8.
    res.send(`\uFEFF${salesCsv(list)}`);
  });
  apiRoute(r, 'POST /orders/:id/fulfil', async (req, res) => {
    const order = await sellerOrder(res, req.params.id);
    return { order: await orders.fulfil(order.id, parseInput(fulfilSchema, req.body)) };
  });
  apiRoute(r, 'POST /orders/:id/refund', async (req, res) => {
    const order = await sellerOrder(res, req.params.id);
    return { order: await checkout.refund(order.id, parseInput(refundSchema, req.body).reason) };
  });
  return r;
}
