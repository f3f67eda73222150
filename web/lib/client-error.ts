import type { ErrorCode } from '$shared/errors';

/** A server error code, or one the client raises itself when no reply can come. */
export type ClientErrorCode = ErrorCode | 'disconnected' | 'timeout';

/** A failed request, over HTTP or the realtime socket alike: the server's code and its message for people. */
export class ClientError extends Error {
  readonly code: ClientErrorCode;
  constructor(code: ClientErrorCode, message: string) {
    super(message);
    this.name = 'ClientError';
    this.code = code;
  }
}

/** The code of a failed request, or null for anything else (a bug, a browser error). */
export function errorCode(err: unknown): ClientErrorCode | null {
  return err instanceof ClientError ? err.code : null;
}
