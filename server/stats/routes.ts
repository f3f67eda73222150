import express from 'express';
import type { Shows } from '../shows/shows.ts';
import type { Orders } from '../commerce/orders.ts';
import { netRevenue } from '#shared/stats.ts';
import { apiRoute } from '../http/api-route.ts';
import { requireUser } from '../http/current-user.ts';
import type { ShowStatsTracker } from './show-stats.ts';

export function statsRoutes(deps: { shows: Shows; orders: Orders; stats: ShowStatsTracker }): express.Router {
  const r = express.Router();
  apiRoute(r, 'GET /shows/:id/stats', async (req, res) => {
    const show = await deps.shows.assertCanRun(requireUser(res), req.params.id);
    const revenue = netRevenue(deps.orders.forShow(show.id, show.host.id));
    return { status: show.status, now: deps.stats.now(show.id), revenue, minutes: deps.stats.minutes(show.id) };
  });
  return r;
}
