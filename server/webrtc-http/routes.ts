import express from 'express';
import { AppError } from '../errors.ts';
import { bearerToken } from '../http/bearer.ts';
import { parseInput } from '../http/validate.ts';
import type { LimitStore } from '../limits/shared-limits.ts';
import { logger } from '../log.ts';
import type { Config } from '../config.ts';
import { streamKeySchema } from '#shared/stream-keys.ts';
import { cors, iceServerLinks, resourceErrors, SDP_TYPE, sendAnswer, sessionResource, showParams, textBody } from './resource-http.ts';
import type { SessionRegistry } from './sessions.ts';
import type { StreamKeys } from './stream-keys.ts';
import type { WhipIngest } from './whip.ts';
import type { WhepPlayback } from './whep.ts';

const log = logger('webrtc-http');

/** Offers one address may POST per minute (each costs a transport and ports): a retrying encoder or player, not a flood. */
const OFFERS_PER_MINUTE = 30;

/**
 * `/whip/<showId>` and `/whep/<showId>` with their session resources. Mounted outside `/api`: these
 * are called cross-origin by encoders and players with a bearer key or nothing, never with cookies.
 */
export function webrtcHttpRoutes(deps: {
  whip: WhipIngest;
  whep: WhepPlayback;
  streamKeys: StreamKeys;
  sessions: SessionRegistry;
  limits: LimitStore;
  iceServers: Config['mediasoup']['iceServers'];
}): express.Router {
  const offers = deps.limits.limit({ name: 'webrtc-http-offers', limit: OFFERS_PER_MINUTE, windowSeconds: 60 });
  const links = iceServerLinks(deps.iceServers);
  const limited: express.RequestHandler = async (req, _res, next) => {
    if (!(await offers.take(req.ip ?? 'unknown'))) throw new AppError('rate_limited', 'Too many offers from this address; wait a minute.');
    next();
  };

  const whip = express.Router();
  whip.use(cors);
  whip.post('/:showId', limited, ...textBody(SDP_TYPE), async (req, res) => {
    const { showId } = parseInput(showParams, req.params);
    const show = await deps.whip.show(showId);
    const bearer = bearerToken(req.headers.authorization);
    if (!bearer) throw new AppError('unauthenticated', 'Send the show’s stream key as `Authorization: Bearer <key>`.');
    const key = streamKeySchema.safeParse(bearer);
    if (!key.success) throw new AppError('unauthenticated', 'The stream key is not valid; copy it again from the studio.');
    await deps.streamKeys.verify(show.id, key.data);
    const { session, answer } = await deps.whip.publish(show, typeof req.body === 'string' ? req.body : '', req.ip ?? 'unknown');
    sendAnswer(res, { location: `/whip/${showId}/${session.id}`, etag: session.etag, answer, links });
  });
  sessionResource(whip, 'whip', deps.sessions);

  const whep = express.Router();
  whep.use(cors);
  whep.post('/:showId', limited, ...textBody(SDP_TYPE), async (req, res) => {
    const { showId } = parseInput(showParams, req.params);
    const { session, answer } = await deps.whep.play(showId, typeof req.body === 'string' ? req.body : '', req.ip ?? 'unknown', res);
    sendAnswer(res, { location: `/whep/${showId}/${session.id}`, etag: session.etag, answer, links });
  });
  sessionResource(whep, 'whep', deps.sessions);

  const r = express.Router();
  r.use('/whip', whip, (_req, _res, next) => next(new AppError('not_found', 'Not found.')));
  r.use('/whep', whep, (_req, _res, next) => next(new AppError('not_found', 'Not found.')));
  r.use(['/whip', '/whep'], resourceErrors(log));
  return r;
}
