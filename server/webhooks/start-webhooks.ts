import type { Redis } from 'ioredis';
import { onceAcrossCluster } from '../cluster/cluster-jobs.ts';
import type { Repo } from '../db/repo.ts';
import type { LimitStore } from '../limits/shared-limits.ts';
import type { AddressPolicy } from './address-policy.ts';
import { DEFAULT_DISPATCH_LIMITS, WebhookDispatcher } from './dispatcher.ts';
import { DEFAULT_RETRY_SCHEDULE, type RetrySchedule } from './retry-schedule.ts';
import { WebhookSender } from './sender.ts';
import { WebhookStore } from './webhook-store.ts';
import { Webhooks } from './webhooks.ts';

/** How often the dispatcher looks for new events and due retries. */
const ROUND_MS = 1_000;

/**
 * The webhooks domain as the server runs it: the hosts' endpoints, and a dispatcher whose rounds run on one
 * node of a cluster at a time (a round that overlaps another node's is harmless: attempts are claimed in the table).
 */
export function startWebhooks(opts: { repo: Repo; redis: Redis | null; limits: LimitStore; policy: AddressPolicy; retry?: RetrySchedule }): { webhooks: Webhooks; close(): Promise<void> } {
  const store = new WebhookStore(opts.repo);
  const sender = new WebhookSender(opts.policy, { maxSockets: DEFAULT_DISPATCH_LIMITS.perEndpoint });
  const dispatcher = new WebhookDispatcher({ store, sender, retry: opts.retry ?? DEFAULT_RETRY_SCHEDULE });
  const stop = onceAcrossCluster(opts.redis, 'webhooks', ROUND_MS, () => dispatcher.round());
  return {
    webhooks: new Webhooks({ store, policy: opts.policy, limits: opts.limits }),
    async close() {
      stop();
      // Attempts in flight end within their timeout; their outcomes are recorded before the database closes.
      await dispatcher.close();
      sender.close();
    }
  };
}
