import express from 'express';
import { requireUser } from '../http/auth-middleware.ts';
import type { Orders } from './orders.ts';

export function orderRoutes(deps: { orders: Orders }): express.Router {
  const r = express.Router();
  const { orders } = deps;
  r.get('/orders', (_req, res) => {
    res.json({ orders: orders.forBuyer(requireUser(res).id) });
  });
  r.post('/orders/:id/cancel', (req, res) => {
    res.json({ order: orders.cancel(requireUser(res).id, req.params.id) });
  });
  return r;
}
