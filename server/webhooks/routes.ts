import express from 'express';
import { z } from 'zod';
import { createWebhookEndpointSchema, webhookDeliveryIdSchema, webhookEndpointIdSchema } from '#shared/webhooks.ts';
import { apiRoute } from '../http/api-route.ts';
import { requireUser } from '../http/current-user.ts';
import { secretReply } from '../http/secret-reply.ts';
import { parseInput } from '../http/validate.ts';
import type { Webhooks } from './webhooks.ts';

/** A host's webhook endpoints and their delivery log; each host sees and acts on its own alone. */
export function webhookRoutes(deps: { webhooks: Webhooks }): express.Router {
  const r = express.Router();
  const { webhooks } = deps;
  const tag = 'Webhooks';
  const endpoint = (raw: string) => parseInput(webhookEndpointIdSchema, raw);
  const ownOnly = 'Only your own endpoints: another host’s is not found.';

  apiRoute(r, 'GET /webhooks', async (_req, res) => ({ endpoints: await webhooks.list(requireUser(res)) }), {
    doc: { tag, who: 'host', summary: 'Your webhook endpoints', description: 'Oldest first, with the events each is subscribed to. Never the signing secret.' }
  });
  apiRoute(r, 'POST /webhooks', async (_req, res, input) => secretReply(res, await webhooks.create(requireUser(res), input.body)), {
    status: 201,
    doc: {
      tag,
      who: 'host',
      summary: 'Register a webhook endpoint',
      description:
        'The reply holds the endpoint’s signing secret, `whsec_…`, this once. The URL must be https (unless the operator allows http) and resolve to public addresses only (unless the operator allows private ones). Events that happen from now on are delivered to it, signed per Standard Webhooks.',
      body: createWebhookEndpointSchema,
      errors: ['conflict', 'rate_limited']
    }
  });
  apiRoute(r, 'DELETE /webhooks/:id', async (req, res) => {
    await webhooks.remove(requireUser(res), endpoint(req.params.id));
    return { ok: true };
  }, { doc: { tag, who: 'host', summary: 'Delete a webhook endpoint', description: `Nothing more is sent to it, and its delivery log goes too. ${ownOnly}`, params: z.object({ id: webhookEndpointIdSchema }) } });
  apiRoute(r, 'GET /webhooks/:id/deliveries', async (req, res) => ({ deliveries: await webhooks.deliveries(requireUser(res), endpoint(req.params.id)) }), {
    doc: { tag, who: 'host', summary: 'An endpoint’s delivery log', description: `Its latest 50 deliveries, newest event first, each with its attempts, next attempt and the receiver’s last answer (truncated). ${ownOnly}`, params: z.object({ id: webhookEndpointIdSchema }) }
  });
  apiRoute(r, 'POST /webhooks/:id/deliveries/:deliveryId/replay', async (req, res) => ({
    delivery: await webhooks.replay(requireUser(res), endpoint(req.params.id), parseInput(webhookDeliveryIdSchema, req.params.deliveryId))
  }), {
    doc: {
      tag,
      who: 'host',
      summary: 'Send a delivery again',
      description: `Pending again from now, with a fresh day of retries; the receiver sees the same webhook-id. Limited per host each minute. ${ownOnly}`,
      params: z.object({ id: webhookEndpointIdSchema, deliveryId: webhookDeliveryIdSchema }),
      errors: ['rate_limited']
    }
  });
  return r;
}
