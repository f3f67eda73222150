import type express from 'express';

/** One route an express router serves: method, full path pattern and the handler it calls last. */
export interface ServedRoute {
  method: string;
  /** Express path pattern from the router walked, e.g. `/shows/:id/lots`. */
  path: string;
  handler: unknown;
}

interface RouterLayer {
  rawPath?: unknown;
  route?: { path: string; methods: Record<string, boolean>; stack: { handle: unknown }[] };
  handle?: { stack?: RouterLayer[] };
}

/**
 * Every route of a router and the routers mounted in it, read from express's router stack, so a
 * route added anywhere is found without being listed.
 */
export function servedRoutes(router: express.Router | { stack: unknown[] }): ServedRoute[] {
  const routes: ServedRoute[] = [];
  const walk = (stack: RouterLayer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const handler = layer.route.stack.at(-1)?.handle;
        for (const method of Object.keys(layer.route.methods)) {
          if (method !== '_all') routes.push({ method: method.toUpperCase(), path: prefix + layer.route.path, handler });
        }
      } else if (layer.handle?.stack) {
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, prefix + mount);
      }
    }
  };
  walk(router.stack as RouterLayer[], '');
  return routes;
}
