import express from 'express';
import { canHost, type PublicUser } from '#shared/auth.ts';
import { fulfilSchema, refundSchema, salesFilterSchema, sellerTermsSchema } from '#shared/orders.ts';
import { AppError } from '../errors.ts';
import { apiRoute } from '../http/api-route.ts';
import { requireUser } from '../http/current-user.ts';
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

  const tag = 'Sales';
  apiRoute(r, 'GET /seller-terms', async (_req, res) => ({ terms: await terms.list(requireSeller(res).id) }), {
    doc: { tag, who: 'host', summary: "The seller's shipping and tax terms", description: 'One set per currency.' }
  });
  apiRoute(r, 'PUT /seller-terms', async (_req, res, input) => {
    const seller = await limited(termsLimit, requireSeller(res), 'changes to shipping and tax');
    return { terms: await terms.set(seller.id, input.body) };
  }, { doc: { tag, who: 'host', summary: 'Set shipping and tax terms for a currency', body: sellerTermsSchema, errors: ['rate_limited'] } });
  apiRoute(r, 'GET /sales', async (_req, res, input) => ({ orders: await sales.list(requireSeller(res), input.query) }), {
    doc: { tag, who: 'host', summary: "The seller's orders", description: 'With the buyer’s name and shipping address.', query: salesFilterSchema }
  });
  apiRoute(r, 'GET /sales.csv', async (_req, res, input) => {
    const list = await sales.list(await limited(exportLimit, requireSeller(res), 'exports'), input.query);
    res.set({ 'content-disposition': 'attachment; filename="orders.csv"', 'cache-control': 'no-store' });
    // The byte-order mark makes spreadsheet apps read the names as UTF-8.
    return `\uFEFF${salesCsv(list)}`;
  }, { type: 'text/csv; charset=utf-8', doc: { tag, who: 'host', summary: "The seller's orders as CSV", description: 'Filtered like GET /sales.', query: salesFilterSchema, errors: ['rate_limited'] } });
  apiRoute(r, 'POST /orders/:id/fulfil', async (req, res, input) => {
    const order = await sellerOrder(res, req.params.id);
    return { order: await orders.fulfil(order.id, input.body) };
  }, { doc: { tag, who: 'seller', summary: 'Mark a paid order shipped', body: fulfilSchema, errors: ['invalid_state'] } });
  apiRoute(r, 'POST /orders/:id/refund', async (req, res, input) => {
    const order = await sellerOrder(res, req.params.id);
    return { order: await checkout.refund(order.id, input.body.reason) };
  }, { doc: { tag, who: 'seller', summary: 'Refund a paid order', description: 'The reason is shown to the buyer.', body: refundSchema, errors: ['invalid_state', 'payment_failed'] } });
  return r;
}
