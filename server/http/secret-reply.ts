import type express from 'express';

/** Marks the one reply that holds a secret (a token, a signing secret, a stream key) so that no cache keeps it, and passes the body through. */
export function secretReply<T>(res: express.Response, body: T): T {
  res.set('Cache-Control', 'no-store');
  return body;
}
