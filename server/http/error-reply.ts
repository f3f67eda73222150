import type { ErrorRequestHandler } from 'express';
import { errorStatus, type ErrorBody } from '#shared/errors.ts';
import { asAppError } from '../errors.ts';
import type { Logger } from '../log.ts';
import * as metrics from '../metrics/metrics.ts';

export interface ErrorReply {
  status: number;
  body: ErrorBody;
}

/** express.json / express.raw name what was wrong with a body in `type`. */
const bodyErrors: Record<string, ErrorReply> = {
  'entity.too.large': { status: 413, body: { code: 'payload_too_large', message: 'The request body is too large.' } },
  'entity.parse.failed': { status: 400, body: { code: 'bad_request', message: 'The request body is not valid JSON.' } },
  'encoding.unsupported': { status: 415, body: { code: 'bad_request', message: 'The request body has an encoding the server does not read.' } },
  'charset.unsupported': { status: 415, body: { code: 'bad_request', message: 'The request body has a charset the server does not read.' } },
  'request.aborted': { status: 400, body: { code: 'bad_request', message: 'The request body was cut short.' } },
  'request.size.invalid': { status: 400, body: { code: 'bad_request', message: 'The request body does not match its length.' } }
};

/**
 * The status and `{code, message, params?, field?}` a failure is answered with. Ours and SQLite's constraint errors
 * keep their code; express's own 4xx (a missing static file, a malformed path) keep their status
 * with a fixed message; anything else is `internal`, its details kept for the log.
 */
export function describeError(err: unknown): ErrorReply {
  const known = asAppError(err);
  if (known) return { status: errorStatus[known.code], body: known.body };
  const { type, status } = (err ?? {}) as { type?: unknown; status?: unknown };
  if (typeof type === 'string' && bodyErrors[type]) return bodyErrors[type];
  if (status === 404) return { status: 404, body: { code: 'not_found', message: 'Not found.' } };
  if (typeof status === 'number' && status >= 400 && status < 500) return { status, body: { code: 'bad_request', message: 'The request could not be understood.' } };
  return { status: 500, body: { code: 'internal', message: 'Something went wrong on the server.' } };
}

/** The last error handler: a JSON reply with no stack or path in it; unexpected failures go to the log. */
export function errorReply(log: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    // Mid-stream (a static file that failed after its headers): express can only cut the connection.
    if (res.headersSent) return next(err);
    const { status, body } = describeError(err);
    metrics.errors.inc({ transport: 'http', code: body.code });
    if (status >= 500) log.error({ err, path: req.path }, 'request failed');
    else log.info({ path: req.path, code: body.code }, body.message);
    res.status(status).json({ error: body });
  };
}
