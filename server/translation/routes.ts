import express from 'express';
import { translateRequestSchema } from '#shared/translation.ts';
import { apiRoute } from '../http/api-route.ts';
import type { Translations } from './translations.ts';

/** Chat translation for whoever watches a show (its chat is public to them); limited per account and address. */
export function translationRoutes(deps: { translations: Translations }): express.Router {
  const r = express.Router();
  const { translations } = deps;
  const tag = 'Chat translation';
  apiRoute(r, 'GET /shows/:id/translation', async (req) => translations.offer(req.params.id), {
    doc: { tag, who: 'anyone', summary: 'Languages the show can be translated into', description: 'From the show’s language (set with its captions), as this server’s translator offers; `provider` is null when translation is off.' }
  });
  apiRoute(r, 'POST /shows/:id/translations', async (req, res, input) => translations.translate({ user: res.locals.user ?? null, address: req.ip ?? 'unknown' }, req.params.id, input.body), {
    doc: {
      tag,
      who: 'anyone',
      summary: 'Translate chat messages, the notice and the poll question',
      description:
        'Each text is translated once per language and cached. Deleted messages, texts over 1,000 characters and texts the show’s word filter stops (in the original or in translation) are listed in `withheld`, to be read in the original.',
      body: translateRequestSchema,
      errors: ['rate_limited', 'unavailable']
    }
  });
  return r;
}
