import type express from 'express';
import type { z } from 'zod';
import type { ApiMethod, ApiReplies, ApiRoute, RouteParams } from '#shared/api.ts';
import { tokenRefusal } from '#shared/api-token-scopes.ts';
import { AppError } from '../errors.ts';
import { describeHandler, type RouteDoc } from './route-doc.ts';
import { parseInput } from './validate.ts';

export type ApiRequest<R extends ApiRoute> = express.Request<RouteParams<R>>;
type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;
/** The body and query as the route's described schemas parse them, each parsed when first read (after the handler's own checks). */
export interface RouteInput<B, Q> {
  readonly body: Parsed<B>;
  readonly query: Parsed<Q>;
}
export type ApiHandler<R extends ApiRoute, B = undefined, Q = undefined> = (
  req: ApiRequest<R>,
  res: express.Response,
  input: RouteInput<B, Q>
) => ApiReplies[R] | Promise<ApiReplies[R]>;

/**
 * Registers one JSON API route by its key in shared/api.ts. The handler returns the reply body, so
 * a reply that is not the route's DTO does not compile; what it throws reaches the error reply.
 * `before` runs first (a raw body parser, an upload check); `status` 201 answers a creation; `type`
 * sends a text reply (CSV, HTML) instead of JSON. `doc` describes the route for the OpenAPI document
 * and names the schemas its input is parsed with.
 */
export function apiRoute<R extends ApiRoute, B extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined>(
  router: express.Router,
  route: R,
  handler: ApiHandler<R, B, Q>,
  opts: { status?: 200 | 201; before?: express.RequestHandler[]; type?: string; doc?: RouteDoc<B, Q> } = {}
): void {
  const [method, path] = route.split(' ') as [ApiMethod, string];
  const status = opts.status ?? 200;
  const last: express.RequestHandler = async (req, res) => {
    const body = await handler(req as ApiRequest<R>, res, routeInput<B, Q>(req, opts.doc));
    if (opts.type) res.status(status).type(opts.type).send(body);
    else res.status(status).json(body);
  };
  if (opts.doc) describeHandler(last, { route, status, type: opts.type, doc: opts.doc });
  router[method.toLowerCase() as Lowercase<ApiMethod>](path, tokenScope(route), ...(opts.before ?? []), last);
}

function routeInput<B, Q>(req: express.Request, doc: RouteDoc | undefined): RouteInput<B, Q> {
  let body: { value: unknown } | undefined;
  let query: { value: unknown } | undefined;
  return {
    get body() {
      body ??= { value: doc?.body && parseInput(doc.body, req.body ?? (doc.optionalBody ? {} : undefined)) };
      return body.value as Parsed<B>;
    },
    get query() {
      query ??= { value: doc?.query && parseInput(doc.query, req.query) };
      return query.value as Parsed<Q>;
    }
  };
}

/** Refuses a request made with an API token whose scopes do not cover the route, before the route's own checks and uploads. */
function tokenScope(route: ApiRoute): express.RequestHandler {
  return (_req, res, next) => {
    const token = res.locals.apiToken;
    const refusal = token && tokenRefusal(route, token.scopes);
    if (!refusal) return next();
    if (refusal.reason === 'session_only') return next(new AppError('forbidden', 'API tokens cannot call this route; sign in instead.', { reason: 'session_only' }));
    // RFC 6750 §3.1: name the scope that would have been enough.
    res.set('WWW-Authenticate', `Bearer error="insufficient_scope", scope="${refusal.scope}"`);
    next(new AppError('forbidden', `This API token lacks the "${refusal.scope}" scope.`, { reason: 'insufficient_scope', scope: refusal.scope }));
  };
}
