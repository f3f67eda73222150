import type { ErrorBody, ErrorCode, ErrorParams } from '$shared/errors';

/** A server error code, or one the client raises itself when no reply can come. */
export type ClientErrorCode = ErrorCode | 'disconnected' | 'timeout';

/**
 * A failed request, over HTTP or the realtime socket alike: the server's code, its params (what a
 * localized message needs) and its English message, kept for logs only.
 */
export class ClientError extends Error {
  readonly code: ClientErrorCode;
  readonly params: ErrorParams;
  constructor(code: ClientErrorCode, message: string, params: ErrorParams = {}) {
    super(message);
    this.name = 'ClientError';
    this.code = code;
    this.params = params;
  }

  /** The error a server reply describes; `fallback` when the reply carries none. */
  static fromReply(body: ErrorBody | undefined, fallback: string): ClientError {
    if (!body) return new ClientError('internal', fallback);
    const field = body.field ?? body.params?.field;
    return new ClientError(body.code, body.message, { ...body.params, ...(field !== undefined && { field }) });
  }

  /** The input this error concerns, for a form to mark. */
  get field(): string | undefined {
    return this.params.field;
  }
}

/** The code of a failed request, or null for anything else (a bug, a browser error). */
export function errorCode(err: unknown): ClientErrorCode | null {
  return err instanceof ClientError ? err.code : null;
}
