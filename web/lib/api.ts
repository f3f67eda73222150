import type { ApiReplies, ApiRoute, RouteParams } from '$shared/api';
import type { ErrorBody } from '$shared/errors';
import { ClientError } from './client-error';

type NoParams<R extends ApiRoute> = keyof RouteParams<R> extends never ? true : false;
export type ApiOptions<R extends ApiRoute> = { body?: unknown; raw?: Blob; query?: Record<string, string> } & (NoParams<R> extends true ? { params?: undefined } : { params: RouteParams<R> });

/** The URL path of a route with its parameters filled in: ("GET /shows/:id", {id}) → "/shows/<id>". */
export function routePath<R extends ApiRoute>(route: R, params?: RouteParams<R>): string {
  const path = route.slice(route.indexOf(' ') + 1);
  return path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = (params as Record<string, string> | undefined)?.[name];
    if (value === undefined) throw new Error(`${route} needs the parameter "${name}".`);
    return encodeURIComponent(value);
  });
}

/**
 * Calls the JSON API by its route key in shared/api.ts, so the reply is typed by the route's DTO.
 * A non-2xx answer throws a ClientError carrying the server's code, params and message.
 */
export async function api<R extends ApiRoute>(
  route: R,
  ...[opts]: NoParams<R> extends true ? [opts?: ApiOptions<R>] : [opts: ApiOptions<R>]
): Promise<ApiReplies[R]> {
  const method = route.slice(0, route.indexOf(' '));
  const headers: Record<string, string> = {};
  let body: BodyInit | undefined;
  if (opts?.raw) {
    body = opts.raw;
    headers['content-type'] = opts.raw.type || 'application/octet-stream';
  } else if (opts?.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] = 'application/json';
  }
  const search = opts?.query ? `?${new URLSearchParams(opts.query)}` : '';
  const res = await fetch(`/api${routePath(route, opts?.params)}${search}`, { method, headers, body });
  const json = (await res.json().catch(() => ({}))) as { error?: ErrorBody } & ApiReplies[R];
  if (!res.ok) throw ClientError.fromReply(json.error, `Request failed (${res.status}).`);
  return json;
}
