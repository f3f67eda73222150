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
  internal: 500
} as const;

export type ErrorCode = keyof typeof errorStatus;

/** What a failed request is answered with: in a ws reply's `error`, and as `{error}` of an HTTP error. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
}
