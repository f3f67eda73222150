import { logger } from '../log.ts';
import type { WebhookBody, WebhookEventType } from '#shared/webhooks.ts';
import { nextAttemptAt, type RetrySchedule } from './retry-schedule.ts';
import { ATTEMPT_TIMEOUT_MS, type WebhookSender } from './sender.ts';
import { orderKey, type DueDelivery, type WebhookStore } from './webhook-store.ts';

const log = logger('webhooks');

export interface DispatchLimits {
  /** Attempts in flight at once on this server. */
  concurrency: number;
  /** Attempts in flight at once to one endpoint: a slow receiver holds at most these. */
  perEndpoint: number;
}

export const DEFAULT_DISPATCH_LIMITS: DispatchLimits = { concurrency: 16, perEndpoint: 2 };
/** Events kept (with their deliveries, for the studio's log) after they happened. */
const KEEP_EVENTS_MS = 30 * 24 * 60 * 60_000;
/** Outbox events turned into deliveries per round; the next round takes the rest. */
const FAN_OUT_BATCH = 200;

/**
 * Delivers the outbox. Each round (run on one node of a cluster) fans new events out to their endpoints and
 * starts the due attempts within the limits, without waiting for them: the next round goes on meanwhile.
 * A show's events reach an endpoint in order: only the oldest pending one of each endpoint and show is sent,
 * and never while an attempt for that pair is in flight.
 * Everything lives in the tables, so deliveries pick up where they were after a restart.
 */
export class WebhookDispatcher {
  readonly #store: WebhookStore;
  readonly #sender: WebhookSender;
  readonly #retry: RetrySchedule;
  readonly #limits: DispatchLimits;
  readonly #now: () => number;
  readonly #inFlight = new Map<number, Promise<void>>();
  readonly #perEndpoint = new Map<string, number>();
  readonly #orderKeys = new Set<string>();
  #lastPrune = 0;
  #closed = false;

  constructor(opts: { store: WebhookStore; sender: WebhookSender; retry: RetrySchedule; limits?: DispatchLimits; now?: () => number }) {
    this.#store = opts.store;
    this.#sender = opts.sender;
    this.#retry = opts.retry;
    this.#limits = opts.limits ?? DEFAULT_DISPATCH_LIMITS;
    this.#now = opts.now ?? Date.now;
  }

  /** One round: fan out, then start what is due and allowed. */
  async round(): Promise<void> {
    if (this.#closed) return;
    const now = this.#now();
    await this.#store.fanOut(now, FAN_OUT_BATCH);
    if (now - this.#lastPrune > 60 * 60_000) {
      this.#lastPrune = now;
      const pruned = await this.#store.prune(now - KEEP_EVENTS_MS);
      if (pruned) log.info({ events: pruned }, 'old webhook events pruned');
    }
    const free = this.#limits.concurrency - this.#inFlight.size;
    if (free <= 0) return;
    // More than the free slots: some due deliveries wait for their endpoint's slots.
    for (const delivery of await this.#store.due(now, free * 4)) {
      if (this.#closed || this.#inFlight.size >= this.#limits.concurrency) break;
      if (!this.#mayStart(delivery)) continue;
      if (!(await this.#store.claim(delivery, now + ATTEMPT_TIMEOUT_MS + 5_000))) continue;
      this.#start(delivery);
    }
  }

  /** Starts nothing more and waits for the attempts in flight: their outcomes are recorded, not left to the lease. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled([...this.#inFlight.values()]);
  }

  #mayStart(d: DueDelivery): boolean {
    if (this.#inFlight.has(d.id)) return false;
    if ((this.#perEndpoint.get(d.endpointId) ?? 0) >= this.#limits.perEndpoint) return false;
    return d.showId === null || !this.#orderKeys.has(orderKey(d.endpointId, d.showId));
  }

  #start(d: DueDelivery): void {
    const key = d.showId === null ? null : orderKey(d.endpointId, d.showId);
    this.#perEndpoint.set(d.endpointId, (this.#perEndpoint.get(d.endpointId) ?? 0) + 1);
    if (key) this.#orderKeys.add(key);
    const attempt = this.#attempt(d)
      .catch((err: unknown) => log.error({ err, delivery: d.id }, 'recording a webhook attempt failed; it is tried again after its lease'))
      .finally(() => {
        this.#inFlight.delete(d.id);
        const left = (this.#perEndpoint.get(d.endpointId) ?? 1) - 1;
        if (left > 0) this.#perEndpoint.set(d.endpointId, left);
        else this.#perEndpoint.delete(d.endpointId);
        if (key) this.#orderKeys.delete(key);
      });
    this.#inFlight.set(d.id, attempt);
  }

  async #attempt(d: DueDelivery): Promise<void> {
    const body: WebhookBody = { type: d.type as WebhookEventType, timestamp: new Date(d.at).toISOString(), data: d.payload as WebhookBody['data'] };
    const result = await this.#sender.send(d.url, d.secret, { id: `msg_${d.eventId}`, body: JSON.stringify(body) }, new Date(this.#now()));
    const at = this.#now();
    const next = result.ok ? null : nextAttemptAt(d.attempts + 1, at, this.#retry);
    await this.#store.settle(d.id, { at, ...result, next });
    const fields = { delivery: d.id, endpoint: d.endpointId, event: d.eventId, type: d.type, status: result.status, attempt: d.attempts + 1 };
    if (result.ok) log.debug(fields, 'webhook delivered');
    else log.info({ ...fields, response: result.response.slice(0, 200), next }, next === null ? 'webhook delivery failed for good' : 'webhook delivery failed; retrying');
  }
}
