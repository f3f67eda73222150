import type express from 'express';
import type { ApiReplies, ApiRoute } from '#shared/api.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type PathOf<R extends string> = R extends `${Method} ${infer P}` ? P : never;
type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

export type ApiRequest<R extends ApiRoute> = express.Request<{ [K in ParamNames<PathOf<R>>]: string }>;
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
  const [method, path] = route.split(' ') as [Method, string];
  const status = opts.status ?? 200;
  router[method.toLowerCase() as Lowercase<Method>](path, ...(opts.before ?? []), async (req, res) => {
    const body = await handler(req as ApiRequest<R>, res);
    res.status(status).json(body);
  });
}
