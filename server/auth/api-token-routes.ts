import express from 'express';
import { z } from 'zod';
import { apiTokenIdSchema, createApiTokenSchema } from '#shared/api-tokens.ts';
import { apiRoute } from '../http/api-route.ts';
import { requireUser } from '../http/current-user.ts';
import { secretReply } from '../http/secret-reply.ts';
import { parseInput } from '../http/validate.ts';
import type { ApiTokens } from './api-tokens.ts';

/** Managing one's own API tokens; a signed-in session only (shared/api-token-scopes.ts refuses tokens here). */
export function apiTokenRoutes(deps: { apiTokens: ApiTokens }): express.Router {
  const r = express.Router();
  const { apiTokens } = deps;
  const tag = 'API tokens';

  apiRoute(r, 'GET /api-tokens', async (_req, res) => ({ apiTokens: await apiTokens.list(requireUser(res).id) }), {
    doc: { tag, who: 'signed-in', summary: 'Your API tokens', description: 'Live tokens, oldest first, with their last use (updated at most once a minute). Never the token itself.' }
  });
  apiRoute(r, 'POST /api-tokens', async (req, res, input) => secretReply(res, await apiTokens.create(requireUser(res), input.body, req.ip ?? 'unknown')), {
    status: 201,
    doc: {
      tag,
      who: 'host',
      summary: 'Create an API token',
      description: 'The reply holds the token, `hawker_pat_<id>_<secret>`, this once: only its hash is kept. Limited in live tokens per account, and in creations per account and per address each hour.',
      body: createApiTokenSchema,
      errors: ['conflict', 'rate_limited']
    }
  });
  apiRoute(r, 'DELETE /api-tokens/:id', async (req, res) => {
    await apiTokens.revoke(requireUser(res).id, parseInput(apiTokenIdSchema, req.params.id));
    return { ok: true };
  }, { doc: { tag, who: 'signed-in', summary: 'Revoke an API token', description: 'Refused from the next request on, on every node. Only your own tokens; another account’s is not found.', params: z.object({ id: apiTokenIdSchema }) } });

  return r;
}
