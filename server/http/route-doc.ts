import type { z } from 'zod';
import type { ApiRoute } from '#shared/api.ts';
import type { ErrorCode } from '#shared/errors.ts';

/** Who may call a route, as its own checks decide (an API token also needs the scope shared/api-token-scopes.ts names). */
export const AUDIENCES = {
  anyone: 'Anyone, signed in or not.',
  'signed-in': 'Any signed-in account.',
  host: 'Hosts and admins.',
  'show-host': "The show's host, or an admin.",
  owner: "The item's owner (its host), or an admin.",
  seller: "The order's seller while a host, or an admin.",
  moderator: "Moderators of the show: its host, moderators and admins.",
  buyer: "The order's buyer.",
  admin: 'Admins only.'
} as const;
export type Audience = keyof typeof AUDIENCES;

/**
 * A route's description, kept beside the route in its domain's routes.ts; the OpenAPI document is
 * built from these, the reply schemas in shared/api.ts and shared/api-token-scopes.ts. The body and
 * query schemas are the ones the route parses its input with (apiRoute hands the parsed input over).
 */
export interface RouteDoc<B extends z.ZodType | undefined = z.ZodType | undefined, Q extends z.ZodType | undefined = z.ZodType | undefined> {
  tag: string;
  summary: string;
  description?: string;
  who: Audience;
  /** The JSON body, parsed when the handler reads `input.body`. */
  body?: B;
  /** The body may be left out: it is then read as `{}`. */
  optionalBody?: boolean;
  query?: Q;
  /** Path parameters whose form the route checks (every other one is a plain string). */
  params?: z.ZodObject;
  /** A raw upload (the request body is the file) instead of JSON. */
  upload?: { types: readonly string[]; maxBytes: number };
  /** Failures the route answers beyond those its input, path and audience imply (400, 404, 401, 403). */
  errors?: readonly ErrorCode[];
}

/** A registered route's description with what apiRoute knows of it. */
export interface DescribedRoute {
  route: ApiRoute;
  status: 200 | 201;
  /** A media type other than JSON for the reply (a CSV download, an HTML page). */
  type?: string;
  doc: RouteDoc;
}

const described = new WeakMap<object, DescribedRoute>();

/** Marks the handler express calls last for a route, so the description can be found from the router. */
export function describeHandler(handler: object, route: DescribedRoute): void {
  described.set(handler, route);
}

/** The description of a route's last handler, if it has one. */
export function descriptionOf(handler: unknown): DescribedRoute | undefined {
  return typeof handler === 'function' ? described.get(handler) : undefined;
}
