import express from 'express';
import { createCouponSchema, createDropSchema, createPollSchema, noticeSchema, pinSchema } from '#shared/commerce.ts';
import { apiRoute } from '../http/api-route.ts';
import { requireUser } from '../http/current-user.ts';
import type { Shows } from '../shows/shows.ts';
import type { Overlay } from './overlay.ts';

/** The host's live controls; viewers receive the results over ws. */
export function overlayRoutes(deps: { shows: Shows; overlay: Overlay }): express.Router {
  const r = express.Router();
  const { shows, overlay } = deps;
  const tag = 'Overlay';
  apiRoute(r, 'GET /shows/:id/overlay', async (req) => ({ overlay: await overlay.state(req.params.id) }), {
    doc: { tag, who: 'anyone', summary: 'What viewers see over the video', description: 'Notice, pinned products, drop, coupon and poll; changes arrive over the WebSocket.' }
  });
  apiRoute(r, 'GET /shows/:id/timeline', async (req) => {
    const show = await shows.get(req.params.id);
    return { startedAt: show.startedAt, events: await overlay.timeline(show.id) };
  }, { doc: { tag, who: 'anyone', summary: "A show's overlay changes in time", description: 'Every push at its server time, for the replay.' } });
  apiRoute(r, 'PUT /shows/:id/notice', async (req, res, input) => ({ overlay: await overlay.setNotice(requireUser(res), req.params.id, input.body.text) }), {
    doc: { tag, who: 'show-host', summary: 'Show a notice', description: 'An empty text clears it.', body: noticeSchema, errors: ['invalid_state'] }
  });
  apiRoute(r, 'PUT /shows/:id/pins', async (req, res, input) => ({ overlay: await overlay.pin(requireUser(res), req.params.id, input.body.productIds) }), {
    doc: { tag, who: 'show-host', summary: 'Pin products', body: pinSchema, errors: ['invalid_state'] }
  });
  apiRoute(r, 'POST /shows/:id/drops', async (req, res, input) => {
    const { productId, countdownSeconds, sale } = input.body;
    return { overlay: await overlay.drop(requireUser(res), req.params.id, productId, countdownSeconds, sale) };
  }, {
    status: 201,
    doc: { tag, who: 'show-host', summary: 'Drop a product', description: 'A "3-2-1" countdown, then the product card for everyone at once, with an optional flash sale.', body: createDropSchema, errors: ['invalid_state'] }
  });
  apiRoute(r, 'POST /shows/:id/coupons', async (req, res, input) => ({ overlay: await overlay.pushCoupon(requireUser(res), req.params.id, input.body) }), {
    status: 201,
    doc: { tag, who: 'show-host', summary: 'Push a coupon', body: createCouponSchema, errors: ['conflict', 'invalid_state'] }
  });
  apiRoute(r, 'POST /shows/:id/polls', async (req, res, input) => ({ overlay: await overlay.startPoll(requireUser(res), req.params.id, input.body) }), {
    status: 201,
    doc: { tag, who: 'show-host', summary: 'Start a poll', body: createPollSchema, errors: ['invalid_state'] }
  });
  return r;
}
