import { and, asc, count, desc, eq, inArray, isNotNull, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Repo } from '../db/repo.ts';
import type { WebhookDeliveryDto, WebhookEndpointDto, WebhookEventType } from '#shared/webhooks.ts';

export type EndpointRow = Repo['t']['webhookEndpoints']['$inferSelect'];

/** A delivery that is due, with what sending it needs. */
export interface DueDelivery {
  id: number;
  eventId: number;
  endpointId: string;
  showId: string | null;
  nextAttemptAt: number;
  attempts: number;
  url: string;
  secret: string;
  type: string;
  payload: unknown;
  at: number;
}

/** The webhook tables: endpoints, the outbox's fan-out to them, and each delivery's attempts. */
export class WebhookStore {
  readonly #repo: Repo;

  constructor(repo: Repo) {
    this.#repo = repo;
  }

  async createEndpoint(row: { id: string; hostId: string; url: string; events: WebhookEventType[]; secret: string; createdAt: number }): Promise<EndpointRow> {
    const { db, t } = this.#repo;
    return (await this.#repo.one(db.insert(t.webhookEndpoints).values(row).returning()))!;
  }

  endpoints(hostId: string): Promise<EndpointRow[]> {
    const { db, t } = this.#repo;
    return this.#repo.all(db.select().from(t.webhookEndpoints).where(and(eq(t.webhookEndpoints.hostId, hostId), isNull(t.webhookEndpoints.disabledAt))).orderBy(asc(t.webhookEndpoints.createdAt)));
  }

  async endpointCount(hostId: string): Promise<number> {
    const { db, t } = this.#repo;
    return (await this.#repo.one(db.select({ n: count() }).from(t.webhookEndpoints).where(and(eq(t.webhookEndpoints.hostId, hostId), isNull(t.webhookEndpoints.disabledAt)))))?.n ?? 0;
  }

  endpoint(id: string): Promise<EndpointRow | undefined> {
    const { db, t } = this.#repo;
    return this.#repo.one(db.select().from(t.webhookEndpoints).where(and(eq(t.webhookEndpoints.id, id), isNull(t.webhookEndpoints.disabledAt))));
  }

  /** Deletes an endpoint and (by cascade) its deliveries: nothing more goes to it. */
  async deleteEndpoint(id: string): Promise<void> {
    const { db, t } = this.#repo;
    await this.#repo.changes(db.delete(t.webhookEndpoints).where(eq(t.webhookEndpoints.id, id)));
  }

  /**
   * Turns outbox events into deliveries, oldest first, one pending delivery per subscribed endpoint that existed
   * when the event happened. Safe to run twice at once: a delivery is unique per event and endpoint.
   */
  async fanOut(now: number, limit: number): Promise<number> {
    const { db, t } = this.#repo;
    const events = await this.#repo.all(db.select().from(t.webhookEvents).where(isNull(t.webhookEvents.fannedOutAt)).orderBy(asc(t.webhookEvents.id)).limit(limit));
    for (const event of events) {
      await this.#repo.tx(async () => {
        const { db, t } = this.#repo;
        const targets = (await this.endpoints(event.hostId)).filter((e) => e.createdAt <= event.at && e.events.includes(event.type));
        if (targets.length) {
          await this.#repo.changes(
            db.insert(t.webhookDeliveries).values(targets.map((e) => ({ eventId: event.id, endpointId: e.id, nextAttemptAt: now }))).onConflictDoNothing()
          );
        }
        await this.#repo.changes(db.update(t.webhookEvents).set({ fannedOutAt: now }).where(and(eq(t.webhookEvents.id, event.id), isNull(t.webhookEvents.fannedOutAt))));
      });
    }
    return events.length;
  }

  /**
   * Pending deliveries whose time has come, oldest event first; of a show's deliveries to one endpoint only the
   * oldest pending one (a show's events arrive in order, so the later ones wait for it, whenever they are due).
   */
  due(now: number, limit: number): Promise<DueDelivery[]> {
    const { db, t } = this.#repo;
    const d = t.webhookDeliveries;
    const e = t.webhookEvents;
    const p = t.webhookEndpoints;
    // Plain SQL: both dialects name these tables alike, and the subquery needs its own names for them.
    const oldestPending = sql`(select min(h.event_id) from webhook_deliveries h join webhook_events he on he.id = h.event_id
      where h.endpoint_id = ${d.endpointId} and h.status = 'pending' and he.show_id = ${e.showId})`;
    return this.#repo.all(
      db
        .select({ id: d.id, eventId: d.eventId, endpointId: d.endpointId, showId: e.showId, nextAttemptAt: d.nextAttemptAt, attempts: d.attempts, url: p.url, secret: p.secret, type: e.type, payload: e.payload, at: e.at })
        .from(d)
        .innerJoin(e, eq(e.id, d.eventId))
        .innerJoin(p, eq(p.id, d.endpointId))
        .where(and(eq(d.status, 'pending'), lte(d.nextAttemptAt, now), isNull(p.disabledAt), or(isNull(e.showId), eq(d.eventId, oldestPending))))
        .orderBy(asc(d.eventId), asc(d.id))
        .limit(limit)
    );
  }

  /**
   * Takes a due delivery for one attempt: its next attempt moves to `leaseUntil`, so no other dispatcher sends it
   * meanwhile, and an attempt a crash cut short is made again once the lease is over. False if another took it.
   */
  async claim(delivery: DueDelivery, leaseUntil: number): Promise<boolean> {
    const { db, t } = this.#repo;
    const d = t.webhookDeliveries;
    return (await this.#repo.changes(db.update(d).set({ nextAttemptAt: leaseUntil }).where(and(eq(d.id, delivery.id), eq(d.status, 'pending'), eq(d.nextAttemptAt, delivery.nextAttemptAt))))) === 1;
  }

  /** Records an attempt's outcome: delivered, or pending until `next`, or failed when there is no next. */
  async settle(id: number, attempt: { at: number; ok: boolean; status: number | null; response: string; next: number | null }): Promise<void> {
    const { db, t } = this.#repo;
    const d = t.webhookDeliveries;
    const outcome = attempt.ok ? { status: 'delivered' as const, deliveredAt: attempt.at } : attempt.next === null ? { status: 'failed' as const } : { status: 'pending' as const, nextAttemptAt: attempt.next };
    await this.#repo.changes(
      db
        .update(d)
        .set({ ...outcome, attempts: sql`${d.attempts} + 1`, lastAttemptAt: attempt.at, lastStatus: attempt.status, lastResponse: attempt.response })
        .where(and(eq(d.id, id), eq(d.status, 'pending')))
    );
  }

  /** An endpoint's latest deliveries, newest event first. */
  async deliveries(endpointId: string, limit: number): Promise<WebhookDeliveryDto[]> {
    const rows = await this.#deliveryRows(eq(this.#repo.t.webhookDeliveries.endpointId, endpointId), limit);
    return rows.map(toDeliveryDto);
  }

  async delivery(endpointId: string, id: number): Promise<WebhookDeliveryDto | undefined> {
    const { t } = this.#repo;
    const [row] = await this.#deliveryRows(and(eq(t.webhookDeliveries.endpointId, endpointId), eq(t.webhookDeliveries.id, id))!, 1);
    return row && toDeliveryDto(row);
  }

  /** Sends a delivery again from now, with a fresh day of retries; the receiver sees the same webhook-id. */
  async replay(endpointId: string, id: number, now: number): Promise<boolean> {
    const { db, t } = this.#repo;
    const d = t.webhookDeliveries;
    return (await this.#repo.changes(db.update(d).set({ status: 'pending', attempts: 0, nextAttemptAt: now, deliveredAt: null }).where(and(eq(d.id, id), eq(d.endpointId, endpointId))))) === 1;
  }

  /** Forgets events (and their deliveries) older than `before`; delivered or failed long ago, they only fill the log. */
  async prune(before: number): Promise<number> {
    const { db, t } = this.#repo;
    const old = await this.#repo.all(db.select({ id: t.webhookEvents.id }).from(t.webhookEvents).where(and(lt(t.webhookEvents.at, before), isNotNull(t.webhookEvents.fannedOutAt))).limit(1000));
    if (!old.length) return 0;
    return this.#repo.changes(db.delete(t.webhookEvents).where(inArray(t.webhookEvents.id, old.map((o) => o.id))));
  }

  #deliveryRows(where: ReturnType<typeof eq>, limit: number) {
    const { db, t } = this.#repo;
    const d = t.webhookDeliveries;
    const e = t.webhookEvents;
    return this.#repo.all(
      db
        .select({ delivery: d, type: e.type, showId: e.showId, showTitle: t.shows.title, at: e.at })
        .from(d)
        .innerJoin(e, eq(e.id, d.eventId))
        .leftJoin(t.shows, eq(t.shows.id, e.showId))
        .where(where)
        .orderBy(desc(d.eventId))
        .limit(limit)
    );
  }
}

/** Deliveries of one show to one endpoint go one at a time, in order: this names the pair. */
export function orderKey(endpointId: string, showId: string): string {
  return `${endpointId}\n${showId}`;
}

export function toEndpointDto(row: EndpointRow): WebhookEndpointDto {
  return { id: row.id, url: row.url, events: row.events as WebhookEventType[], createdAt: row.createdAt };
}

function toDeliveryDto(r: { delivery: Repo['t']['webhookDeliveries']['$inferSelect']; type: string; showId: string | null; showTitle: string | null; at: number }): WebhookDeliveryDto {
  const d = r.delivery;
  return {
    id: d.id, eventId: d.eventId, type: r.type as WebhookDeliveryDto['type'], showId: r.showId, showTitle: r.showTitle, status: d.status, attempts: d.attempts,
    nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt : null, lastAttemptAt: d.lastAttemptAt, lastStatus: d.lastStatus,
    lastResponse: d.lastResponse, deliveredAt: d.deliveredAt, at: r.at
  };
}
