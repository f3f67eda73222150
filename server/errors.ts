/** Machine-readable error codes shared with clients (see shared/protocol.ts). */
export type ErrorCode =
  | 'bad_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'payload_too_large'
  | 'invalid_state'
  | 'payment_failed'
  | 'internal';

const statusByCode: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  payload_too_large: 413,
  invalid_state: 409,
  payment_failed: 402,
  internal: 500
};

/** A failure the user can be told about; anything else is reported as `internal`. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = statusByCode[code];
  }
}

export function toErrorBody(err: unknown): { code: ErrorCode; message: string } {
  if (err instanceof AppError) return { code: err.code, message: err.message };
  return { code: 'internal', message: 'Something went wrong on the server.' };
}
