import fs from 'node:fs/promises';
import path from 'node:path';
import crypto from 'node:crypto';
import express from 'express';
import { createShowSchema, showStatusQuerySchema, updateShowSchema } from '#shared/shows.ts';
import { AppError } from '../errors.ts';
import { parseInput } from '../http/validate.ts';
import { requireUser } from '../http/auth-middleware.ts';
import type { Shows } from './shows.ts';

export const MAX_COVER_BYTES = 2 * 1024 * 1024;

/** Recognises an image by its first bytes; the Content-Type header is only a claim. */
export function sniffImage(buf: Buffer): 'jpg' | 'png' | 'webp' | null {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpg';
  if (buf.length >= 8 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (buf.length >= 12 && buf.toString('ascii', 0, 4) === 'RIFF' && buf.toString('ascii', 8, 12) === 'WEBP') return 'webp';
  return null;
}

export function showRoutes(deps: { shows: Shows; uploadDir: string }): express.Router {
  const r = express.Router();
  const { shows } = deps;
  const coverDir = path.join(deps.uploadDir, 'covers');

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
    express.raw({ type: () => true, limit: MAX_COVER_BYTES }),
    async (req, res) => {
      const actor = requireUser(res);
      shows.assertCanRun(actor, req.params.id);
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const ext = sniffImage(body);
      if (!ext) throw new AppError('bad_request', 'Cover images must be JPEG, PNG or WebP.');
      await fs.mkdir(coverDir, { recursive: true });
      const file = `${req.params.id}-${crypto.randomBytes(6).toString('hex')}.${ext}`;
      await fs.writeFile(path.join(coverDir, file), body);
      res.json({ show: shows.setCover(actor, req.params.id, file) });
    }
  );

  return r;
}
