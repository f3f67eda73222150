import express from 'express';
import { createCouponSchema, createDropSchema, createPollSchema, noticeSchema, pinSchema } from '#shared/commerce.ts';
import { apiRoute } from '../http/api-route.ts';
import { parseInput } from '../http/validate.ts';
import { requireUser } from '../http/current-user.ts';
import type { Shows } from '../shows/shows.ts';
import type { Overlay } from './overlay.ts';

/** The host's live controls; viewers receive the results over ws. */
export function overlayRoutes(deps: { shows: Shows; overlay: Overlay }): express.Router {
  const r = express.Router();
  const { shows, overlay } = deps;
  apiRoute(r, 'GET /shows/:id/overlay', async (req) => ({ overlay: await overlay.state(req.params.id) }));
  apiRoute(r, 'GET /shows/:id/timeline', async (req) => {
    const show = await shows.get(req.params.id);
    return { startedAt: show.startedAt, events: await overlay.timeline(show.id) };
  });
  apiRoute(r, 'PUT /shows/:id/notice', async (req, res) => ({ overlay: await overlay.setNotice(requireUser(res), req.params.id, parseInput(noticeSchema, req.body).text) }));
  apiRoute(r, 'PUT /shows/:id/pins', async (req, res) => ({ overlay: await overlay.pin(requireUser(res), req.params.id, parseInput(pinSchema, req.body).productIds) }));
  apiRoute(r, 'POST /shows/:id/drops', async (req, res) => {
    const input = parseInput(createDropSchema, req.body);
    return { overlay: await overlay.drop(requireUser(res), req.params.id, input.productId, input.countdownSeconds, input.sale) };
  }, { status: 201 });
  apiRoute(r, 'POST /shows/:id/coupons', async (req, res) => ({ overlay: await overlay.pushCoupon(requireUser(res), req.params.id, parseInput(createCouponSchema, req.body)) }), { status: 201 });
  apiRoute(r, 'POST /shows/:id/polls', async (req, res) => ({ overlay: await overlay.startPoll(requireUser(res), req.params.id, parseInput(createPollSchema, req.body)) }), { status: 201 });
  return r;
}
