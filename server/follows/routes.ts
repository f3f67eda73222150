import express from 'express';
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
  apiRoute(r, 'GET /hosts/:id/follow', (req, res) => follows.state(res.locals.user, host(req.params.id)));
  apiRoute(r, 'PUT /hosts/:id/follow', (req, res) => follows.follow(requireUser(res), host(req.params.id)));
  apiRoute(r, 'DELETE /hosts/:id/follow', (req, res) => follows.unfollow(requireUser(res), host(req.params.id)));
  return r;
}
