import express from 'express';
import { createShowSchema, duplicateShowSchema, MAX_COVER_BYTES, showStatusQuerySchema, updateShowSchema } from '#shared/shows.ts';
import { apiRoute } from '../http/api-route.ts';
import { parseInput } from '../http/validate.ts';
import { requireUser } from '../http/current-user.ts';
import { uploadBody, uploadedBytes } from '../http/upload.ts';
import { storeCover } from './covers.ts';
import type { Shows } from './shows.ts';

export function showRoutes(deps: { shows: Shows; uploadDir: string }): express.Router {
  const r = express.Router();
  const { shows } = deps;

  apiRoute(r, 'GET /shows', async (req) => ({ shows: await shows.list(parseInput(showStatusQuerySchema, req.query).status) }));
  apiRoute(r, 'GET /shows/:id', async (req) => ({ show: await shows.get(req.params.id) }));
  apiRoute(r, 'POST /shows', async (req, res) => ({ show: await shows.create(requireUser(res), parseInput(createShowSchema, req.body)) }), { status: 201 });
  apiRoute(r, 'PATCH /shows/:id', async (req, res) => ({ show: await shows.update(requireUser(res), req.params.id, parseInput(updateShowSchema, req.body)) }));
  apiRoute(r, 'POST /shows/:id/live', async (req, res) => ({ show: await shows.goLive(requireUser(res), req.params.id) }));
  apiRoute(r, 'POST /shows/:id/duplicate', async (req, res) => ({ show: await shows.duplicate(requireUser(res), req.params.id, parseInput(duplicateShowSchema, req.body ?? {})) }), { status: 201 });
  apiRoute(r, 'DELETE /shows/:id', async (req, res) => ({ outcome: await shows.remove(requireUser(res), req.params.id) }));
  apiRoute(r, 'POST /shows/:id/end', async (req, res) => ({ show: await shows.end(requireUser(res), req.params.id) }));
  apiRoute(r, 'PUT /shows/:id/cover', async (req, res) => {
    const actor = requireUser(res);
    const file = await storeCover(deps.uploadDir, req.params.id, uploadedBytes(req));
    return { show: await shows.setCover(actor, req.params.id, file) };
  }, { before: uploadBody(MAX_COVER_BYTES, async (req, res) => void (await shows.assertCanRun(res.locals.user, String(req.params.id)))) });

  return r;
}
