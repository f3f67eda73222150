import { z } from 'zod';
import { CURRENCIES } from './money.ts';

/** What a host may subscribe an endpoint to; each is reported from the transaction that made it happen. */
export const WEBHOOK_EVENT_TYPES = ['show.live', 'show.ended', 'order.paid', 'order.refunded', 'lot.sold', 'lot.unsold', 'drop.sold_out'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Endpoints one host may have at once. */
export const MAX_WEBHOOK_ENDPOINTS = 10;
/** How much of a receiver's answer the delivery log keeps. */
export const WEBHOOK_RESPONSE_LOG_CHARS = 1024;

export const createWebhookEndpointSchema = z.object({
  url: z.string().trim().min(1, 'Enter the URL to deliver to.').max(2048).url('Enter a full URL, such as https://example.com/hooks.'),
  events: z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1, 'Choose at least one event.').max(WEBHOOK_EVENT_TYPES.length).transform((es) => [...new Set(es)])
});
export type CreateWebhookEndpointInput = z.infer<typeof createWebhookEndpointSchema>;

/** Server ids (newId) and outbox ids (integers) as they appear in paths. */
export const webhookEndpointIdSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'No such endpoint.');
export const webhookDeliveryIdSchema = z.string().regex(/^[1-9][0-9]{0,14}$/, 'No such delivery.').transform(Number);

export const webhookEndpointSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
  createdAt: z.number().int()
});
export type WebhookEndpointDto = z.infer<typeof webhookEndpointSchema>;

/** A new endpoint and its signing secret: the only time the secret is shown. */
export const createdWebhookEndpointSchema = z.object({ endpoint: webhookEndpointSchema, secret: z.string() });
export type CreatedWebhookEndpointDto = z.infer<typeof createdWebhookEndpointSchema>;

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** One event's delivery to one endpoint, with its receiver's last answer (`lastStatus` null: no HTTP answer, see `lastResponse`). */
export const webhookDeliverySchema = z.object({
  id: z.number().int(),
  eventId: z.number().int(),
  type: z.enum(WEBHOOK_EVENT_TYPES),
  showId: z.string().nullable(),
  /** The show's title as it is now (null without a show, or once the show is deleted). */
  showTitle: z.string().nullable(),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES),
  attempts: z.number().int(),
  nextAttemptAt: z.number().int().nullable(),
  lastAttemptAt: z.number().int().nullable(),
  lastStatus: z.number().int().nullable(),
  lastResponse: z.string().nullable(),
  deliveredAt: z.number().int().nullable(),
  at: z.number().int()
});
export type WebhookDeliveryDto = z.infer<typeof webhookDeliverySchema>;

const currency = z.enum(CURRENCIES);
const orderData = z.object({
  id: z.string(),
  showId: z.string().nullable(),
  lotId: z.string().nullable(),
  currency,
  subtotal: z.number().int(),
  discount: z.number().int(),
  shipping: z.number().int(),
  tax: z.number().int(),
  total: z.number().int(),
  items: z.array(z.object({ productId: z.string(), variantId: z.string(), title: z.string(), unitPrice: z.number().int(), quantity: z.number().int() }))
});

/**
 * The `data` of each event type. Amounts are in the currency's minor units; times are milliseconds since the
 * Unix epoch. Buyers are not named: a shop looks an order up through the API with its own token.
 */
export const webhookPayloadSchemas = {
  'show.live': z.object({ show: z.object({ id: z.string(), title: z.string(), startedAt: z.number().int() }) }),
  'show.ended': z.object({ show: z.object({ id: z.string(), title: z.string(), startedAt: z.number().int().nullable(), endedAt: z.number().int() }) }),
  'order.paid': z.object({ order: orderData, paidAt: z.number().int() }),
  'order.refunded': z.object({ order: orderData, reason: z.string().nullable(), refundedAt: z.number().int() }),
  'lot.sold': z.object({
    lot: z.object({ id: z.string(), showId: z.string(), title: z.string(), currency, price: z.number().int(), closedAt: z.number().int() }),
    orderId: z.string()
  }),
  'lot.unsold': z.object({
    lot: z.object({ id: z.string(), showId: z.string(), title: z.string(), currency, closedAt: z.number().int() }),
    /** `no_sale`: it ended without a bid at or over its reserve; `cancelled`: its host stopped it. */
    reason: z.enum(['no_sale', 'cancelled'])
  }),
  'drop.sold_out': z.object({
    drop: z.object({ id: z.string(), showId: z.string(), productId: z.string(), quantity: z.number().int(), startsAt: z.number().int(), endsAt: z.number().int() }),
    soldOutAt: z.number().int()
  })
} satisfies Record<WebhookEventType, z.ZodType>;
export type WebhookPayload<T extends WebhookEventType> = z.infer<(typeof webhookPayloadSchemas)[T]>;

/** The body of every delivery (the Standard Webhooks envelope): `timestamp` is when the event happened, ISO 8601. */
export interface WebhookBody<T extends WebhookEventType = WebhookEventType> {
  type: T;
  timestamp: string;
  data: WebhookPayload<T>;
}
