import express from 'express';
import { createCouponSchema, createDropSchema, createPollSchema, noticeSchema, pinSchema } from '#shared/commerce.ts';
import { parseInput } from '../http/validate.ts';
import { requireUser } from '../http/auth-middleware.ts';
import type { Shows } from '../shows/shows.ts';
import type { Overlay } from './overlay.ts';

/** The host's live controls; viewers receive the results over ws. */
export function overlayRoutes(deps: { shows: Shows; overlay: Overlay }): express.Router {
  const r = express.Router();
  const { shows, overlay } = deps;
  r.get('/shows/:id/overlay', (req, res) => void res.json({ overlay: overlay.state(shows.get(req.params.id).id) }));
  r.get('/shows/:id/timeline', (req, res) => {
    const show = shows.get(req.params.id);
    res.json({ startedAt: show.startedAt, events: overlay.timeline(show.id) });
  });
  r.put('/shows/:id/notice', (req, res) => void res.json({ overlay: overlay.setNotice(requireUser(res), req.params.id, parseInput(noticeSchema, req.body).text) }));
  r.put('/shows/:id/pins', (req, res) => void res.json({ overlay: overlay.pin(requireUser(res), req.params.id, parseInput(pinSchema, req.body).productIds) }));
  r.post('/shows/:id/drops', (req, res) => {
    const input = parseInput(createDropSchema, req.body);
    res.status(201).json({ overlay: overlay.drop(requireUser(res), req.params.id, input.productId, input.countdownSeconds, input.sale) });
  });
  r.post('/shows/:id/coupons', (req, res) => void res.status(201).json({ overlay: overlay.pushCoupon(requireUser(res), req.params.id, parseInput(createCouponSchema, req.body)) }));
  r.post('/shows/:id/polls', (req, res) => void res.status(201).json({ overlay: overlay.startPoll(requireUser(res), req.params.id, parseInput(createPollSchema, req.body)) }));
  return r;
}
