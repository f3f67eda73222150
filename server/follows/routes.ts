import express from 'express';
import { z } from 'zod';
import { hostIdSchema } from '#shared/follows.ts';
import { requireUser } from '../http/current-user.ts';
import { apiRoute } from '../http/api-route.ts';
import { parseInput } from '../http/validate.ts';
import type { Follows } from './follows.ts';

/** Following a shop: its count and the caller's state for anyone; following and unfollowing when signed in. */
export function followRoutes(deps: { follows: Follows }): express.Router {
  const r = express.Router();
  const { follows } = deps;
  const host = (raw: string) => parseInput(hostIdSchema, raw);
  const doc = (who: 'anyone' | 'signed-in', summary: string) => ({ tag: 'Follows', who, summary, params: z.object({ id: hostIdSchema }), errors: ['rate_limited' as const] });
  apiRoute(r, 'GET /hosts/:id/follow', (req, res) => follows.state(res.locals.user, host(req.params.id)), { doc: doc('anyone', "A shop's followers, and whether the caller follows it") });
  apiRoute(r, 'PUT /hosts/:id/follow', (req, res) => follows.follow(requireUser(res), host(req.params.id)), { doc: doc('signed-in', 'Follow a shop') });
  apiRoute(r, 'DELETE /hosts/:id/follow', (req, res) => follows.unfollow(requireUser(res), host(req.params.id)), { doc: doc('signed-in', 'Unfollow a shop') });
  return r;
}
