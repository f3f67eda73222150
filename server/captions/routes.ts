import express from 'express';
import { apiRoute } from '../http/api-route.ts';
import { requireUser } from '../http/current-user.ts';
import { transcriptQuerySchema, updateCaptionSettingsSchema } from '#shared/captions.ts';
import type { Captions } from './captions.ts';

/** A show's caption settings (read by its room, changed in its studio) and its searchable transcript. */
export function captionRoutes(deps: { captions: Captions }): express.Router {
  const r = express.Router();
  const { captions } = deps;
  const tag = 'Captions';

  apiRoute(r, 'GET /shows/:id/captions', (req) => captions.describe(req.params.id), {
    doc: {
      tag,
      who: 'anyone',
      summary: 'The show’s caption settings',
      description: 'Whether the show is captioned and in which spoken language, with the speech engine this server runs (`provider`, null when none) and the languages it transcribes.'
    }
  });
  apiRoute(r, 'PUT /shows/:id/captions', (req, res, input) => captions.update(requireUser(res), req.params.id, input.body), {
    doc: {
      tag,
      who: 'show-host',
      summary: 'Turn captions on or off, or set the spoken language',
      description:
        'Takes effect at once in a live show. Any language may be named as the one spoken in the show (chat translation starts from it), even on a server without a speech engine; captions turn on only in a language the engine transcribes: the embedded PocketSphinx takes English only; Korean, Chinese and others need the endpoint provider.',
      body: updateCaptionSettingsSchema,
      errors: ['bad_request', 'invalid_state', 'rate_limited']
    }
  });
  apiRoute(r, 'GET /shows/:id/transcript', (req, res, input) =>
    captions.transcript(req.params.id, input.query.q || undefined, { userId: res.locals.user?.id ?? null, address: req.ip ?? 'unknown' }), {
    doc: {
      tag,
      who: 'anyone',
      summary: 'The show’s transcript',
      description:
        'Final captions in spoken order, those containing `q` (any case) when given, at most 200; `offsetMs` is the moment in the replay. Live and ended shows alike.',
      query: transcriptQuerySchema,
      errors: ['rate_limited']
    }
  });
  return r;
}
