import express from 'express';
import type { Shows } from '../shows/shows.ts';
import { requireUser } from '../http/auth-middleware.ts';
import type { ShowStatsTracker } from './show-stats.ts';

export function statsRoutes(deps: { shows: Shows; stats: ShowStatsTracker }): express.Router {
  const r = express.Router();
  r.get('/shows/:id/stats', (req, res) => {
    const show = deps.shows.assertCanRun(requireUser(res), req.params.id);
    res.json({ status: show.status, now: deps.stats.now(show.id), minutes: deps.stats.minutes(show.id) });
  });
  return r;
}
