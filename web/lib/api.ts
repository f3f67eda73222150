import type { ErrorBody } from '$shared/errors';
import { ClientError } from './client-error';

/** Calls the JSON API; a non-2xx answer throws a ClientError carrying the server's code and message. */
export async function api<T>(path: string, init: { method?: string; body?: unknown; raw?: Blob } = {}): Promise<T> {
  const headers: Record<string, string> = {};
  let body: BodyInit | undefined;
  if (init.raw) {
    body = init.raw;
    headers['content-type'] = init.raw.type || 'application/octet-stream';
  } else if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(`/api${path}`, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body });
  const json = (await res.json().catch(() => ({}))) as { error?: ErrorBody } & T;
  if (!res.ok) throw new ClientError(json.error?.code ?? 'internal', json.error?.message ?? `Request failed (${res.status}).`);
  return json;
}
