import express from 'express';
import { createLotSchema } from '#shared/auctions.ts';
import { apiRoute } from '../http/api-route.ts';
import { requireUser } from '../http/current-user.ts';
import type { Auctions } from './auctions.ts';

/** The host's lot queue and controls. Bidding itself goes over ws (see ws-handlers.ts). */
export function auctionRoutes(deps: { auctions: Auctions }): express.Router {
  const r = express.Router();
  const { auctions } = deps;

  const tag = 'Auctions';
  apiRoute(r, 'GET /shows/:id/lots', async (req) => ({ lots: await auctions.lots(req.params.id) }), { doc: { tag, who: 'anyone', summary: "A show's lots", description: 'In queue order; bids arrive over the WebSocket.' } });
  apiRoute(r, 'POST /shows/:id/lots', async (req, res, input) => ({ lot: await auctions.createLot(requireUser(res), req.params.id, input.body) }), {
    status: 201,
    doc: { tag, who: 'show-host', summary: 'Queue a lot', body: createLotSchema, errors: ['invalid_state'] }
  });
  apiRoute(r, 'POST /lots/:id/start', async (req, res) => ({ lot: await auctions.start(requireUser(res), req.params.id) }), {
    doc: { tag, who: 'show-host', summary: 'Open a lot for bids', errors: ['invalid_state', 'conflict', 'unavailable'] }
  });
  apiRoute(r, 'POST /lots/:id/cancel', async (req, res) => ({ lot: await auctions.cancel(requireUser(res), req.params.id) }), {
    doc: { tag, who: 'show-host', summary: 'Cancel a lot', errors: ['invalid_state', 'unavailable'] }
  });
  apiRoute(r, 'POST /lots/:id/offer-runner-up', async (req, res) => ({ order: await auctions.offerToRunnerUp(requireUser(res), req.params.id) }), {
    status: 201,
    doc: { tag, who: 'show-host', summary: 'Offer a lot to its runner-up', description: 'When the winner did not pay: an order at the runner-up’s highest bid.', errors: ['invalid_state', 'conflict'] }
  });
  return r;
}
