import express from 'express';
import { apiRoute } from '../http/api-route.ts';
import { requireUser } from '../http/current-user.ts';
import type { Orders } from './orders.ts';

export function orderRoutes(deps: { orders: Orders }): express.Router {
  const r = express.Router();
  const { orders } = deps;
  apiRoute(r, 'GET /orders', async (_req, res) => ({ orders: await orders.forBuyer(requireUser(res).id) }), { doc: { tag: 'Orders', who: 'signed-in', summary: "The caller's orders" } });
  apiRoute(r, 'POST /orders/:id/cancel', async (req, res) => ({ order: await orders.cancel(requireUser(res).id, req.params.id) }), {
    doc: { tag: 'Orders', who: 'buyer', summary: 'Cancel an unpaid order', description: 'Its stock goes back on sale.', errors: ['invalid_state'] }
  });
  return r;
}
