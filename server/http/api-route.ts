import type express from 'express';
import type { ApiMethod, ApiReplies, ApiRoute, RouteParams } from '#shared/api.ts';

export type ApiRequest<R extends ApiRoute> = express.Request<RouteParams<R>>;
export type ApiHandler<R extends ApiRoute> = (req: ApiRequest<R>, res: express.Response) => ApiReplies[R] | Promise<ApiReplies[R]>;

/**
 * Registers one JSON API route by its key in shared/api.ts. The handler returns the reply body, so
 * a reply that is not the route's DTO does not compile; what it throws reaches the error reply.
 * `before` runs first (a raw body parser, an upload check); `status` 201 answers a creation.
 */
export function apiRoute<R extends ApiRoute>(
  router: express.Router,
  route: R,
  handler: ApiHandler<R>,
  opts: { status?: 200 | 201; before?: express.RequestHandler[] } = {}
): void {
  const [method, path] = route.split(' ') as [ApiMethod, string];
  const status = opts.status ?? 200;
  router[method.toLowerCase() as Lowercase<ApiMethod>](path, ...(opts.before ?? []), async (req, res) => {
    const body = await handler(req as ApiRequest<R>, res);
    res.status(status).json(body);
  });
}
