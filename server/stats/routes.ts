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
    const [sold, now, minutes] = await Promise.all([deps.orders.forShow(show.id, show.host.id), deps.stats.now(show.id), deps.stats.minutes(show.id)]);
    return { status: show.status, now, revenue: netRevenue(sold), minutes };
  }, { doc: { tag: 'Shows', who: 'show-host', summary: "A show's numbers", description: 'Viewers, hearts, chat, bids, orders and revenue, now and per minute.' } });
  return r;
}
