import type { Currency } from './money.ts';

/** Machine-readable error codes of every reply, HTTP and ws alike, with the HTTP status each maps to. */
export const errorStatus = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  payload_too_large: 413,
  invalid_state: 409,
  payment_failed: 402,
  /** The SFU is full: watch over LL-HLS instead (the client falls back on its own). */
  at_capacity: 503,
  /** No media server is up right now (one is restarting): retry shortly, LL-HLS meanwhile. */
  media_unavailable: 503,
  /** The server that runs this show's auctions is changing or busy (in a cluster): retry in a moment. */
  unavailable: 503,
  internal: 500
} as const;

export type ErrorCode = keyof typeof errorStatus;

/**
 * Why a request failed, where one code covers several situations the user should be told apart
 * (a `conflict` may be a sold-out sale, a per-buyer limit or a coupon already used).
 */
export interface ErrorReasons {
  forbidden: 'hosts_only' | 'admins_only' | 'banned' | 'blocked' | 'timed_out' | 'insufficient_scope' | 'session_only';
  bad_request: 'invalid_input' | 'bid_too_low' | 'max_too_low' | 'max_not_raised' | 'message_too_long' | 'message_empty' | 'message_blocked' | 'own_shop' | 'webhook_address' | 'webhook_https' | 'caption_language';
  unauthenticated: 'wrong_credentials' | 'session_ended' | 'invalid_token';
  conflict:
    | 'sold_out'
    | 'only_left'
    | 'per_buyer_limit'
    | 'unpaid_limit'
    | 'price_moved'
    | 'already_leading'
    | 'payment_in_progress'
    | 'email_taken'
    | 'coupon_used'
    | 'coupon_claimed'
    | 'coupons_gone'
    | 'already_voted'
    | 'show_live'
    | 'show_limit'
    | 'token_limit'
    | 'webhook_limit';
  invalid_state:
    | 'order_status'
    | 'pay_window_over'
    | 'coupon_expired'
    | 'coupon_currency'
    | 'coupon_not_claimed'
    | 'sale_not_started'
    | 'sale_ended'
    | 'lot_not_live'
    | 'show_ended'
    | 'poll_closed';
  not_found: 'coupon_not_applicable' | 'no_show' | 'no_order' | 'no_shop';
  rate_limited: 'slow_mode';
  payment_failed: 'declined' | 'insufficient_funds' | 'card_expired' | 'provider_unavailable';
}

export type ErrorReason<C extends ErrorCode = ErrorCode> = C extends keyof ErrorReasons ? ErrorReasons[C] : never;

/**
 * What a client needs to say what went wrong in its own language: amounts are in the minor unit of
 * `currency`; `field` is the dotted path of the first invalid input.
 */
export interface ErrorParams<C extends ErrorCode = ErrorCode> {
  reason?: ErrorReason<C>;
  field?: string;
  /** The smallest acceptable amount (a bid, a maximum). */
  min?: number;
  /** An amount already in place (the bidder's current maximum). */
  amount?: number;
  currency?: Currency;
  /** A count that may not be exceeded (units per buyer, characters). */
  limit?: number;
  /** How many the user already holds toward `limit`. */
  held?: number;
  /** Units still in stock. */
  left?: number;
  seconds?: number;
  /** An order's status, as the order DTO names it. */
  status?: string;
  /** The API token scope a route needs. */
  scope?: string;
}

/**
 * What a failed request is answered with: in a ws reply's `error`, and as `{error}` of an HTTP error.
 * `message` is English, for API users and logs; people read the code and params through the UI's i18n.
 */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  params?: ErrorParams;
  /** The input a validation error concerns (same as `params.field`), so a form can mark it. */
  field?: string;
}
