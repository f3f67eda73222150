import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { AppError } from '../errors.ts';

/**
 * A raw upload body, read only after `authorize` (which throws to refuse) has let the request
 * through, and only up to `limit` bytes. A refused request is answered at once and its
 * connection closed, so a stranger's body is never read, let alone buffered.
 */
export function uploadBody(limit: number, authorize: (req: Request, res: Response) => void | Promise<void>): RequestHandler[] {
  const gate = async (req: Request, res: Response, next: NextFunction) => {
    try {
      await authorize(req, res);
      if (Number(req.headers['content-length']) > limit) {
        throw new AppError('payload_too_large', `Uploads may be at most ${Math.floor(limit / (1024 * 1024))} MB.`);
      }
      next();
    } catch (err) {
      res.set('Connection', 'close');
      next(err);
    }
  };
  return [gate, express.raw({ type: () => true, limit })];
}

/** The body `uploadBody` read. */
export function uploadedBytes(req: Request): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}
