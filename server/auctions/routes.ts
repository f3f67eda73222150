import express from 'express';
import { createLotSchema } from '#shared/auctions.ts';
import { apiRoute } from '../http/api-route.ts';
import { parseInput } from '../http/validate.ts';
import { requireUser } from '../http/current-user.ts';
import type { Auctions } from './auctions.ts';

/** The host's lot queue and controls. Bidding itself goes over ws (see ws-handlers.ts). */
export function auctionRoutes(deps: { auctions: Auctions }): express.Router {
  const r = express.Router();
  const { auctions } = deps;

  apiRoute(r, 'GET /shows/:id/lots', async (req) => ({ lots: await auctions.lots(req.params.id) }));
  apiRoute(r, 'POST /shows/:id/lots', async (req, res) => ({ lot: await auctions.createLot(requireUser(res), req.params.id, parseInput(createLotSchema, req.body)) }), { status: 201 });
  apiRoute(r, 'POST /lots/:id/start', async (req, res) => ({ lot: await auctions.start(requireUser(res), req.params.id) }));
  apiRoute(r, 'POST /lots/:id/cancel', async (req, res) => ({ lot: await auctions.cancel(requireUser(res), req.params.id) }));
  apiRoute(r, 'POST /lots/:id/offer-runner-up', async (req, res) => ({ order: await auctions.offerToRunnerUp(requireUser(res), req.params.id) }), { status: 201 });
  return r;
}
