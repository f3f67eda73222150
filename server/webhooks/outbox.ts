import { and, eq, isNull } from 'drizzle-orm';
import type { Repo } from '../db/repo.ts';
import type { OrderRow } from '../db/schema.ts';
import type { WebhookEventType, WebhookPayload } from '#shared/webhooks.ts';

/** An event of one host's shop, as it goes into the outbox. */
export interface WebhookEventInput<T extends WebhookEventType> {
  hostId: string;
  showId: string | null;
  type: T;
  /** The payload, or how to read it (only done when someone listens). */
  data: WebhookPayload<T> | (() => Promise<WebhookPayload<T>>);
  at: number;
}

/**
 * Writes an event to the webhook outbox. Call it inside the transaction of the change it reports: the event
 * is kept exactly when the change is, and the dispatcher delivers it from there (after a restart too).
 * A host without endpoints gets none written (an endpoint hears only what happens after its creation).
 */
export async function recordWebhookEvent<T extends WebhookEventType>(repo: Repo, event: WebhookEventInput<T>): Promise<void> {
  const { db, t } = repo;
  const listening = await repo.one(
    db.select({ id: t.webhookEndpoints.id }).from(t.webhookEndpoints).where(and(eq(t.webhookEndpoints.hostId, event.hostId), isNull(t.webhookEndpoints.disabledAt))).limit(1)
  );
  if (!listening) return;
  const payload = typeof event.data === 'function' ? await event.data() : event.data;
  await repo.changes(db.insert(t.webhookEvents).values({ hostId: event.hostId, showId: event.showId, type: event.type, payload, at: event.at }));
}

/** An order as the order events report it: its figures and items, no buyer. */
export function orderEventData(row: OrderRow, items: readonly { productId: string; variantId: string; title: string; unitPrice: number; quantity: number }[]): WebhookPayload<'order.paid'>['order'] {
  return {
    id: row.id, showId: row.showId, lotId: row.lotId, currency: row.currency,
    subtotal: row.subtotal, discount: row.discount, shipping: row.shipping, tax: row.tax, total: row.total,
    items: items.map((i) => ({ productId: i.productId, variantId: i.variantId, title: i.title, unitPrice: i.unitPrice, quantity: i.quantity }))
  };
}
