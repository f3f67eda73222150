import express from 'express';
import { createShowSchema, showStatusQuerySchema, updateShowSchema } from '#shared/shows.ts';
import { parseInput } from '../http/validate.ts';
import { requireUser } from '../http/auth-middleware.ts';
import { uploadBody, uploadedBytes } from '../http/upload.ts';
import { MAX_COVER_BYTES, storeCover } from './covers.ts';
import type { Shows } from './shows.ts';

export function showRoutes(deps: { shows: Shows; uploadDir: string }): express.Router {
  const r = express.Router();
  const { shows } = deps;

  r.get('/shows', (req, res) => {
    const { status } = parseInput(showStatusQuerySchema, req.query);
    res.json({ shows: shows.list(status) });
  });

  r.get('/shows/:id', (req, res) => {
    res.json({ show: shows.get(req.params.id) });
  });

  r.post('/shows', (req, res) => {
    const show = shows.create(requireUser(res), parseInput(createShowSchema, req.body));
    res.status(201).json({ show });
  });

  r.patch('/shows/:id', (req, res) => {
    res.json({ show: shows.update(requireUser(res), req.params.id, parseInput(updateShowSchema, req.body)) });
  });

  r.post('/shows/:id/live', (req, res) => {
    res.json({ show: shows.goLive(requireUser(res), req.params.id) });
  });

  r.post('/shows/:id/end', (req, res) => {
    res.json({ show: shows.end(requireUser(res), req.params.id) });
  });

  r.put(
    '/shows/:id/cover',
    ...uploadBody(MAX_COVER_BYTES, (req, res) => void shows.assertCanRun(res.locals.user, String(req.params.id))),
    async (req, res) => {
      const actor = requireUser(res);
      const showId = String(req.params.id);
      const file = await storeCover(deps.uploadDir, showId, uploadedBytes(req));
      res.json({ show: shows.setCover(actor, showId, file) });
    }
  );

  return r;
}
