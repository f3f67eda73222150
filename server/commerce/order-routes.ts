import express from 'express';
import { apiRoute } from '../http/api-route.ts';
import { requireUser } from '../http/current-user.ts';
import type { Orders } from './orders.ts';

export function orderRoutes(deps: { orders: Orders }): express.Router {
  const r = express.Router();
  const { orders } = deps;
  apiRoute(r, 'GET /orders', (_req, res) => ({ orders: orders.forBuyer(requireUser(res).id) }));
  apiRoute(r, 'POST /orders/:id/cancel', (req, res) => ({ order: orders.cancel(requireUser(res).id, req.params.id) }));
  return r;
}
