import express from 'express';
import { apiRoute } from '../http/api-route.ts';
import { requireUser } from '../http/current-user.ts';
import { secretReply } from '../http/secret-reply.ts';
import { AppError } from '../errors.ts';
import type { Shows } from '../shows/shows.ts';
import type { SessionRegistry } from './sessions.ts';
import type { StreamKeys } from './stream-keys.ts';

/** The studio's "Stream from OBS" panel: whether a show has a stream key, and making a new one. Its host (or an admin) alone. */
export function streamKeyRoutes(deps: { shows: Shows; streamKeys: StreamKeys; encoderSessions: SessionRegistry }): express.Router {
  const r = express.Router();
  const { shows, streamKeys, encoderSessions } = deps;
  const tag = 'Streaming';

  apiRoute(r, 'GET /shows/:id/stream-key', async (req, res) => {
    await shows.assertCanRun(requireUser(res), req.params.id);
    const streaming = !encoderSessions.ofShow('whip', req.params.id).next().done;
    return { streamKey: await streamKeys.describe(req.params.id, streaming) };
  }, { doc: { tag, who: 'show-host', summary: 'The show’s stream key', description: 'Whether the show has a WHIP stream key, when it was made and whether an encoder streams with it now; never the key itself.' } });
  apiRoute(r, 'POST /shows/:id/stream-key', async (req, res) => {
    const show = await shows.assertCanRun(requireUser(res), req.params.id);
    if (show.isDemo) throw new AppError('forbidden', 'The demo show is published by the server.');
    if (show.status === 'ended') throw new AppError('invalid_state', 'This show has ended.', { reason: 'show_ended' });
    return secretReply(res, await streamKeys.replace(req.params.id));
  }, {
    status: 201,
    doc: { tag, who: 'show-host', summary: 'Make a new stream key', description: 'Makes (or replaces) the show’s WHIP stream key and returns it, the only time it is sent; the old key stops working and its streams end.', errors: ['invalid_state'] }
  });
  return r;
}
