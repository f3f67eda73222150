/**
 * The JSON API under /api: every route by "METHOD /path" (as the server registers it) with the
 * body of its success reply. A failure answers `{error: {code, message}}` with the status its code
 * maps to (errors.ts). The server registers routes through this map, so a route that replies with
 * another shape does not compile.
 */
import type { LotDto } from './auctions.ts';
import type { PublicUser } from './auth.ts';
import type { ModerationEntryDto } from './chat.ts';
import type { CouponDto, OverlayState, ProductDto, TimelineEntryDto } from './commerce.ts';
import type { ErrorBody } from './errors.ts';
import type { FollowDto } from './follows.ts';
import type { OrderDto, PayTogetherQuoteDto, SaleDto, SellerTermsDto } from './orders.ts';
import type { ShowDto } from './shows.ts';
import type { ShowStatsDto } from './stats.ts';

/** The reply of an action that has nothing to return. */
export interface Done {
  ok: true;
}

export interface ApiReplies {
  'POST /auth/signup': { user: PublicUser };
  'POST /auth/signin': { user: PublicUser };
  'POST /auth/signout': Done;
  'GET /me': { user: PublicUser | null };
  'PUT /users/role': { user: PublicUser };

  'GET /shows': { shows: ShowDto[] };
  'GET /shows/:id': { show: ShowDto };
  'POST /shows': { show: ShowDto };
  'PATCH /shows/:id': { show: ShowDto };
  'POST /shows/:id/live': { show: ShowDto };
  'POST /shows/:id/end': { show: ShowDto };
  'PUT /shows/:id/cover': { show: ShowDto };
  'POST /shows/:id/duplicate': { show: ShowDto };
  /** A show with orders is archived instead: out of every list, still there for its orders. */
  'DELETE /shows/:id': { outcome: 'deleted' | 'archived' };
  'GET /shows/:id/stats': ShowStatsDto;

  'GET /shows/:id/lots': { lots: LotDto[] };
  'POST /shows/:id/lots': { lot: LotDto };
  'POST /lots/:id/start': { lot: LotDto };
  'POST /lots/:id/cancel': { lot: LotDto };
  'POST /lots/:id/offer-runner-up': { order: OrderDto };

  'GET /products': { products: ProductDto[] };
  'POST /products': { product: ProductDto };
  'PATCH /products/:id': { product: ProductDto };
  'POST /products/:id/duplicate': { product: ProductDto };
  /** A product never ordered is deleted; one with orders is archived. */
  'DELETE /products/:id': { outcome: 'deleted' | 'archived' };
  'PUT /variants/:id/stock': { product: ProductDto };
  'POST /products/:id/images': { product: ProductDto };
  'GET /shows/:id/lineup': { products: ProductDto[] };
  'PUT /shows/:id/lineup': { products: ProductDto[] };
  'GET /shows/:id/sales': { orders: OrderDto[] };
  'GET /seller-terms': { terms: SellerTermsDto[] };
  'PUT /seller-terms': { terms: SellerTermsDto[] };
  'GET /sales': { orders: SaleDto[] };
  /** A text/csv download (a link, not `api()`), filtered like GET /sales. */
  'GET /sales.csv': string;
  'POST /buy': { order: OrderDto };
  'POST /cart/checkout': { orders: OrderDto[] };
  'GET /orders': { orders: OrderDto[] };
  'GET /orders/:id': { order: OrderDto };
  'POST /orders/:id/pay': { order: OrderDto };
  /** Several unpaid orders from one show and seller, one charge, combined shipping. */
  'POST /orders/pay-together': { orders: OrderDto[] };
  /** What paying them together would charge, shown before paying; changes nothing. */
  'POST /orders/pay-together/quote': { quote: PayTogetherQuoteDto };
  'POST /orders/:id/cancel': { order: OrderDto };
  'POST /orders/:id/fulfil': { order: OrderDto };
  'POST /orders/:id/refund': { order: OrderDto };
  'POST /coupons/:id/claim': { coupon: CouponDto };

  'GET /shows/:id/overlay': { overlay: OverlayState };
  'GET /shows/:id/timeline': { startedAt: number | null; events: TimelineEntryDto[] };
  'PUT /shows/:id/notice': { overlay: OverlayState };
  'PUT /shows/:id/pins': { overlay: OverlayState };
  'POST /shows/:id/drops': { overlay: OverlayState };
  'POST /shows/:id/coupons': { overlay: OverlayState };
  'POST /shows/:id/polls': { overlay: OverlayState };

  'DELETE /chat/messages/:id': Done;
  'POST /chat/messages/:id/report': Done;
  'POST /shows/:id/chat/timeouts': Done;
  'POST /shows/:id/chat/bans': Done;
  'DELETE /shows/:id/chat/bans/:userId': Done;
  'POST /shows/:id/chat/blocks': Done;
  'PUT /shows/:id/chat/slow-mode': Done;
  'PUT /shows/:id/chat/pin': Done;
  'PUT /shows/:id/chat/blocklist': Done;
  'POST /shows/:id/moderation-events': Done;
  'GET /shows/:id/moderation-log': { entries: ModerationEntryDto[] };

  /** A shop is its host's account; following twice or unfollowing twice changes nothing. */
  'GET /hosts/:id/follow': FollowDto;
  'PUT /hosts/:id/follow': FollowDto;
  'DELETE /hosts/:id/follow': FollowDto;
}

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
