import express from 'express';
import { createLotSchema } from '#shared/auctions.ts';
import { parseInput } from '../http/validate.ts';
import { requireUser } from '../http/auth-middleware.ts';
import type { Auctions } from './auctions.ts';

/** The host's lot queue and controls. Bidding itself goes over ws (see realtime/auction-handlers.ts). */
export function auctionRoutes(deps: { auctions: Auctions }): express.Router {
  const r = express.Router();
  const { auctions } = deps;

  r.get('/shows/:id/lots', (req, res) => {
    res.json({ lots: auctions.lots(req.params.id) });
  });
  r.post('/shows/:id/lots', (req, res) => {
    res.status(201).json({ lot: auctions.createLot(requireUser(res), req.params.id, parseInput(createLotSchema, req.body)) });
  });
  r.post('/lots/:id/start', (req, res) => {
    res.json({ lot: auctions.start(requireUser(res), req.params.id) });
  });
  r.post('/lots/:id/cancel', (req, res) => {
    res.json({ lot: auctions.cancel(requireUser(res), req.params.id) });
  });
  r.post('/lots/:id/offer-runner-up', (req, res) => {
    res.status(201).json({ order: auctions.offerToRunnerUp(requireUser(res), req.params.id) });
  });
  return r;
}
