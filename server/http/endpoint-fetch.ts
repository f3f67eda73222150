/**
 * One request to a service the operator configured (a transcription or translation endpoint). Redirects
 * are refused, so a request and its key never go to another host; the wait is bounded by a timeout and the
 * reply by a size; failures say what went wrong by kind only, since fetch's own messages name the address.
 */

/** Largest reply body read; a longer one is a failure, not a reply. */
export const MAX_ENDPOINT_REPLY_BYTES = 1024 * 1024;

export interface EndpointRequest {
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string | FormData;
  timeoutMs: number;
  maxBytes?: number;
}

export interface EndpointReply {
  status: number;
  ok: boolean;
  body: string;
}

/** A failed request, its message fit to log: no address, no key. */
export class EndpointError extends Error {}

/** `what` names the service in messages ("the transcription endpoint"). */
export async function endpointFetch(what: string, url: string, req: EndpointRequest): Promise<EndpointReply> {
  const maxBytes = req.maxBytes ?? MAX_ENDPOINT_REPLY_BYTES;
  try {
    const res = await fetch(url, { method: req.method, headers: req.headers, body: req.body, redirect: 'error', signal: AbortSignal.timeout(req.timeoutMs) });
    return { status: res.status, ok: res.ok, body: await boundedText(what, res, maxBytes) };
  } catch (err) {
    if (err instanceof EndpointError) throw err;
    throw new EndpointError(failure(what, err, req.timeoutMs));
  }
}

/** The body as text, reading no further than `maxBytes`. */
async function boundedText(what: string, res: Response, maxBytes: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new EndpointError(`${what} answered with more than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Why fetch threw, by kind only: its messages and causes name the address. */
function failure(what: string, err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; cause?: { code?: unknown; message?: unknown } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `${what} did not answer within ${timeoutMs / 1000} s`;
  if (typeof e.cause?.message === 'string' && /redirect/i.test(e.cause.message)) return `${what} answered with a redirect, which is not followed`;
  const code = typeof e.cause?.code === 'string' && /^[A-Z_]+$/.test(e.cause.code) ? ` (${e.cause.code})` : '';
  return `${what} could not be reached${code}`;
}
