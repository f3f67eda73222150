import type http from 'node:http';
import type { z } from 'zod';
import { descriptionOf } from '../../http/route-doc.ts';
import { servedRoutes } from '../../http/route-table.ts';
import { kindOfKey, type IdKind } from './id-pools.ts';

export interface RestRoute {
  method: string;
  /** Express path pattern, e.g. `/api/shows/:id/lots`. */
  path: string;
  /** What each `:param` names, from the path segment before it (`/lots/:id` names a lot). */
  params: { name: string; kind: IdKind | null }[];
  /** The schema the route parses its JSON body with, from its description. */
  body: z.ZodType | undefined;
}

/**
 * Every route of the running server under /api, read from express's router stack, so a
 * route added later is fuzzed without being listed here.
 */
export function apiRoutes(server: http.Server): RestRoute[] {
  const app = server.listeners('request')[0] as unknown as { router: { stack: unknown[] } };
  return servedRoutes(app.router)
    .filter((r) => r.path.startsWith('/api/'))
    .map((r) => ({ method: r.method, path: r.path, params: paramsOf(r.path), body: descriptionOf(r.handler)?.doc.body }));
}

function paramsOf(path: string): RestRoute['params'] {
  const segments = path.split('/');
  return segments.flatMap((s, i) => {
    if (!s.startsWith(':')) return [];
    const name = s.slice(1);
    const kind = name === 'id' ? kindOfKey(segments[i - 1] === 'messages' ? 'message' : segments[i - 1]!.replace(/s$/, '')) : kindOfKey(name.replace(/Id$/, ''));
    return [{ name, kind }];
  });
}
