import express from 'express';
import { apiRoute } from '../http/api-route.ts';
import { requireUser } from '../http/current-user.ts';
import type { Orders } from './orders.ts';

export function orderRoutes(deps: { orders: Orders }): express.Router {
  const r = express.Router();
  const { orders } = deps;
  apiRoute(r, 'GET /orders', async (_req, res) => ({ orders: await orders.forBuyer(requireUser(res).id) }));
  apiRoute(r, 'POST /orders/:id/cancel', async (req, res) => ({ order: await orders.cancel(requireUser(res).id, req.params.id) }));
  return r;
}
