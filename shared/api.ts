/**
 * The JSON API under /api: every route by "METHOD /path" (as the server registers it) with the
 * body of its success reply. A failure answers `{error: {code, message}}` with the status its code
 * maps to (errors.ts). The server registers routes through this map, so a route that replies with
 * another shape does not compile.
 */
import { z } from 'zod';
import { apiTokenDtoSchema, createdApiTokenSchema } from './api-tokens.ts';
import { lotDtoSchema } from './auctions.ts';
import { captionSettingsDtoSchema, transcriptDtoSchema } from './captions.ts';
import { publicUserSchema } from './auth.ts';
import { moderationEntryDtoSchema } from './chat.ts';
import { couponDtoSchema, overlayStateSchema, productDtoSchema, timelineEntryDtoSchema } from './commerce.ts';
import { errorStatus, type ErrorBody, type ErrorCode } from './errors.ts';
import { followDtoSchema } from './follows.ts';
import { orderDtoSchema, payTogetherQuoteDtoSchema, saleDtoSchema, sellerTermsDtoSchema } from './orders.ts';
import { showDtoSchema } from './shows.ts';
import { showStatsDtoSchema } from './stats.ts';
import { translationOfferDtoSchema, translationsDtoSchema } from './translation.ts';
import { createdStreamKeySchema, streamKeyDtoSchema } from './stream-keys.ts';
import { createdWebhookEndpointSchema, webhookDeliverySchema, webhookEndpointSchema } from './webhooks.ts';

/** The reply of an action that has nothing to return. */
export const doneSchema = z.strictObject({ ok: z.literal(true) }).meta({ id: 'Done' });
export type Done = z.infer<typeof doneSchema>;

const outcomeSchema = z.strictObject({ outcome: z.enum(['deleted', 'archived']) });

/**
 * The schema of every route's success reply, by its key. The reply types below are inferred from it,
 * and the OpenAPI document (server/openapi/) shows the same schemas.
 */
export const apiReplySchemas = {
  'POST /auth/signup': z.strictObject({ user: publicUserSchema }),
  'POST /auth/signin': z.strictObject({ user: publicUserSchema }),
  'POST /auth/signout': doneSchema,
  'GET /me': z.strictObject({ user: publicUserSchema.nullable() }),
  'PUT /users/role': z.strictObject({ user: publicUserSchema }),

  'GET /shows': z.strictObject({ shows: z.array(showDtoSchema) }),
  'GET /shows/:id': z.strictObject({ show: showDtoSchema }),
  'POST /shows': z.strictObject({ show: showDtoSchema }),
  'PATCH /shows/:id': z.strictObject({ show: showDtoSchema }),
  'POST /shows/:id/live': z.strictObject({ show: showDtoSchema }),
  'POST /shows/:id/end': z.strictObject({ show: showDtoSchema }),
  'PUT /shows/:id/cover': z.strictObject({ show: showDtoSchema }),
  'POST /shows/:id/duplicate': z.strictObject({ show: showDtoSchema }),
  /** A show with orders is archived instead: out of every list, still there for its orders. */
  'DELETE /shows/:id': outcomeSchema,
  'GET /shows/:id/stats': showStatsDtoSchema,
  /** Whether the show has a WHIP stream key; the key itself is in the reply that makes it alone. */
  'GET /shows/:id/stream-key': z.strictObject({ streamKey: streamKeyDtoSchema }),
  /** Makes a new stream key, ending the streams the old one opened. */
  'POST /shows/:id/stream-key': createdStreamKeySchema,
  /** The show's caption settings and what this server's speech engine offers. */
  'GET /shows/:id/captions': captionSettingsDtoSchema,
  'PUT /shows/:id/captions': captionSettingsDtoSchema,
  /** The show's final captions, searched; offsets seek its replay. */
  'GET /shows/:id/transcript': transcriptDtoSchema,

  'GET /shows/:id/lots': z.strictObject({ lots: z.array(lotDtoSchema) }),
  'POST /shows/:id/lots': z.strictObject({ lot: lotDtoSchema }),
  'POST /lots/:id/start': z.strictObject({ lot: lotDtoSchema }),
  'POST /lots/:id/cancel': z.strictObject({ lot: lotDtoSchema }),
  'POST /lots/:id/offer-runner-up': z.strictObject({ order: orderDtoSchema }),

  'GET /products': z.strictObject({ products: z.array(productDtoSchema) }),
  'POST /products': z.strictObject({ product: productDtoSchema }),
  'PATCH /products/:id': z.strictObject({ product: productDtoSchema }),
  'POST /products/:id/duplicate': z.strictObject({ product: productDtoSchema }),
  /** A product never ordered is deleted; one with orders is archived. */
  'DELETE /products/:id': outcomeSchema,
  'PUT /variants/:id/stock': z.strictObject({ product: productDtoSchema }),
  'POST /products/:id/images': z.strictObject({ product: productDtoSchema }),
  'GET /shows/:id/lineup': z.strictObject({ products: z.array(productDtoSchema) }),
  'PUT /shows/:id/lineup': z.strictObject({ products: z.array(productDtoSchema) }),
  'GET /shows/:id/sales': z.strictObject({ orders: z.array(orderDtoSchema) }),
  'GET /seller-terms': z.strictObject({ terms: z.array(sellerTermsDtoSchema) }),
  'PUT /seller-terms': z.strictObject({ terms: z.array(sellerTermsDtoSchema) }),
  'GET /sales': z.strictObject({ orders: z.array(saleDtoSchema) }),
  /** A text/csv download (a link, not `api()`), filtered like GET /sales. */
  'GET /sales.csv': z.string(),
  'POST /buy': z.strictObject({ order: orderDtoSchema }),
  'POST /cart/checkout': z.strictObject({ orders: z.array(orderDtoSchema) }),
  'GET /orders': z.strictObject({ orders: z.array(orderDtoSchema) }),
  'GET /orders/:id': z.strictObject({ order: orderDtoSchema }),
  'POST /orders/:id/pay': z.strictObject({ order: orderDtoSchema }),
  /** Several unpaid orders from one show and seller, one charge, combined shipping. */
  'POST /orders/pay-together': z.strictObject({ orders: z.array(orderDtoSchema) }),
  /** What paying them together would charge, shown before paying; changes nothing. */
  'POST /orders/pay-together/quote': z.strictObject({ quote: payTogetherQuoteDtoSchema }),
  'POST /orders/:id/cancel': z.strictObject({ order: orderDtoSchema }),
  'POST /orders/:id/fulfil': z.strictObject({ order: orderDtoSchema }),
  'POST /orders/:id/refund': z.strictObject({ order: orderDtoSchema }),
  'POST /coupons/:id/claim': z.strictObject({ coupon: couponDtoSchema }),

  'GET /shows/:id/overlay': z.strictObject({ overlay: overlayStateSchema }),
  'GET /shows/:id/timeline': z.strictObject({ startedAt: z.number().nullable(), events: z.array(timelineEntryDtoSchema) }),
  'PUT /shows/:id/notice': z.strictObject({ overlay: overlayStateSchema }),
  'PUT /shows/:id/pins': z.strictObject({ overlay: overlayStateSchema }),
  'POST /shows/:id/drops': z.strictObject({ overlay: overlayStateSchema }),
  'POST /shows/:id/coupons': z.strictObject({ overlay: overlayStateSchema }),
  'POST /shows/:id/polls': z.strictObject({ overlay: overlayStateSchema }),

  'DELETE /chat/messages/:id': doneSchema,
  'POST /chat/messages/:id/report': doneSchema,
  'POST /shows/:id/chat/timeouts': doneSchema,
  'POST /shows/:id/chat/bans': doneSchema,
  'DELETE /shows/:id/chat/bans/:userId': doneSchema,
  'POST /shows/:id/chat/blocks': doneSchema,
  'PUT /shows/:id/chat/slow-mode': doneSchema,
  'PUT /shows/:id/chat/pin': doneSchema,
  'PUT /shows/:id/chat/blocklist': doneSchema,
  'POST /shows/:id/moderation-events': doneSchema,
  'GET /shows/:id/moderation-log': z.strictObject({ entries: z.array(moderationEntryDtoSchema) }),
  /** The languages a show's viewers may translate its chat, notice and poll into. */
  'GET /shows/:id/translation': translationOfferDtoSchema,
  /** Chat messages, the notice and the poll question as a viewer sees them, translated. */
  'POST /shows/:id/translations': translationsDtoSchema,

  /** A shop is its host's account; following twice or unfollowing twice changes nothing. */
  'GET /hosts/:id/follow': followDtoSchema,
  'PUT /hosts/:id/follow': followDtoSchema,
  'DELETE /hosts/:id/follow': followDtoSchema,

  /** A host's webhook endpoints; the signing secret is in the creation's reply alone. */
  'GET /webhooks': z.strictObject({ endpoints: z.array(webhookEndpointSchema) }),
  'POST /webhooks': createdWebhookEndpointSchema,
  'DELETE /webhooks/:id': doneSchema,
  /** The endpoint's latest deliveries, newest first, each with its receiver's last answer. */
  'GET /webhooks/:id/deliveries': z.strictObject({ deliveries: z.array(webhookDeliverySchema) }),
  'POST /webhooks/:id/deliveries/:deliveryId/replay': z.strictObject({ delivery: webhookDeliverySchema }),

  /** The signed-in account's own live API tokens (a session only: a token cannot manage tokens); the token itself is in the creation's reply alone. */
  'GET /api-tokens': z.strictObject({ apiTokens: z.array(apiTokenDtoSchema) }),
  'POST /api-tokens': createdApiTokenSchema,
  'DELETE /api-tokens/:id': doneSchema,

  /** This API's OpenAPI 3.1 description, and its interactive reference (an HTML page). */
  'GET /openapi.json': z.record(z.string(), z.unknown()),
  'GET /docs': z.string()
} satisfies Record<string, z.ZodType>;

/** Every route's success reply by "METHOD /path", as its schema above parses it. */
export type ApiReplies = { [R in keyof typeof apiReplySchemas]: z.infer<(typeof apiReplySchemas)[R]> };

export type ApiRoute = keyof ApiReplies;
export type ApiMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

type PathOf<R extends string> = R extends `${ApiMethod} ${infer P}` ? P : never;
type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;
/** The path parameters a route names, e.g. `{id: string}` for "GET /shows/:id". */
export type RouteParams<R extends ApiRoute> = { [K in ParamNames<PathOf<R>>]: string };

/** The body of every failed HTTP request. */
export interface ApiErrorReply {
  error: ErrorBody;
}

/** The same body as a schema, for the API's description: `params` carries what the code needs (see ErrorParams). */
export const apiErrorReplySchema = z
  .strictObject({
    error: z.strictObject({
      code: z.enum(Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      params: z.record(z.string(), z.unknown()).optional(),
      field: z.string().optional()
    })
  })
  .meta({ id: 'Error' });
