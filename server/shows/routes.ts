import express from 'express';
import { COVER_TYPES, createShowSchema, duplicateShowSchema, MAX_COVER_BYTES, showStatusQuerySchema, updateShowSchema } from '#shared/shows.ts';
import { apiRoute } from '../http/api-route.ts';
import { requireUser } from '../http/current-user.ts';
import { uploadBody, uploadedBytes } from '../http/upload.ts';
import { storeCover } from './covers.ts';
import type { Shows } from './shows.ts';

export function showRoutes(deps: { shows: Shows; uploadDir: string }): express.Router {
  const r = express.Router();
  const { shows } = deps;

  const tag = 'Shows';
  apiRoute(r, 'GET /shows', async (_req, _res, input) => ({ shows: await shows.list(input.query.status) }), {
    doc: { tag, who: 'anyone', summary: 'List shows', description: 'Every show but archived ones, optionally of one status.', query: showStatusQuerySchema }
  });
  apiRoute(r, 'GET /shows/:id', async (req) => ({ show: await shows.get(req.params.id) }), { doc: { tag, who: 'anyone', summary: 'One show' } });
  apiRoute(r, 'POST /shows', async (_req, res, input) => ({ show: await shows.create(requireUser(res), input.body) }), {
    status: 201,
    doc: { tag, who: 'host', summary: 'Schedule a show', body: createShowSchema, errors: ['conflict'] }
  });
  apiRoute(r, 'PATCH /shows/:id', async (req, res, input) => ({ show: await shows.update(requireUser(res), req.params.id, input.body) }), {
    doc: { tag, who: 'show-host', summary: 'Edit a show', body: updateShowSchema, errors: ['invalid_state'] }
  });
  apiRoute(r, 'POST /shows/:id/live', async (req, res) => ({ show: await shows.goLive(requireUser(res), req.params.id) }), {
    doc: { tag, who: 'show-host', summary: 'Go live', errors: ['invalid_state'] }
  });
  apiRoute(r, 'POST /shows/:id/duplicate', async (req, res, input) => ({ show: await shows.duplicate(requireUser(res), req.params.id, input.body) }), {
    status: 201,
    doc: { tag, who: 'show-host', summary: 'Copy a show', description: 'A new scheduled show with the same details and lineup.', body: duplicateShowSchema, optionalBody: true, errors: ['conflict'] }
  });
  apiRoute(r, 'DELETE /shows/:id', async (req, res) => ({ outcome: await shows.remove(requireUser(res), req.params.id) }), {
    doc: { tag, who: 'show-host', summary: 'Delete a show', description: 'A show with orders is archived instead: out of every list, still there for its orders.', errors: ['conflict'] }
  });
  apiRoute(r, 'POST /shows/:id/end', async (req, res) => ({ show: await shows.end(requireUser(res), req.params.id) }), {
    doc: { tag, who: 'show-host', summary: 'End a show', description: 'Ends a live show, or cancels a scheduled one.', errors: ['invalid_state'] }
  });
  apiRoute(r, 'PUT /shows/:id/cover', async (req, res) => {
    const actor = requireUser(res);
    const file = await storeCover(deps.uploadDir, req.params.id, uploadedBytes(req));
    return { show: await shows.setCover(actor, req.params.id, file) };
  }, {
    before: uploadBody(MAX_COVER_BYTES, async (req, res) => void (await shows.assertCanRun(res.locals.user, String(req.params.id)))),
    doc: { tag, who: 'show-host', summary: "Set the show's cover image", description: 'The server re-encodes the image.', upload: { types: COVER_TYPES, maxBytes: MAX_COVER_BYTES } }
  });

  return r;
}
