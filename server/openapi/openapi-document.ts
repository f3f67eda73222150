import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponsesObject } from 'zod-openapi';
import { apiErrorReplySchema, apiReplySchemas } from '#shared/api.ts';
import { routeScopes } from '#shared/api-token-scopes.ts';
import { TOKEN_PREFIX, TOKEN_SCOPES } from '#shared/api-tokens.ts';
import { errorStatus, type ErrorCode } from '#shared/errors.ts';
import { SESSION_COOKIE } from '../auth/session-cookie.ts';
import { AUDIENCES, descriptionOf, type DescribedRoute } from '../http/route-doc.ts';
import { servedRoutes } from '../http/route-table.ts';

export type OpenApiDocument = ReturnType<typeof createDocument>;

/** The API's description: every route the router serves that carries a description (apiRoute's `doc`). */
export function openApiDocument(router: { stack: unknown[] }, version: string): OpenApiDocument {
  const paths: ZodOpenApiPathsObject = {};
  for (const served of servedRoutes(router)) {
    const described = descriptionOf(served.handler);
    if (!described || !Object.hasOwn(apiReplySchemas, described.route)) continue;
    const path = served.path.replace(/:([A-Za-z]+)/g, '{$1}');
    paths[path] = { ...paths[path], [served.method.toLowerCase()]: operation(described) };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Hawker API',
      version,
      description:
        'The JSON API of a Hawker server. Every failure answers `{error: {code, message, params?, field?}}` with the status its code maps to. ' +
        'Amounts are integers in the currency’s minor unit; times are milliseconds since the Unix epoch. ' +
        'Live events (bids, chat, the overlay) go over the WebSocket at `/ws`, not this API.'
    },
    servers: [{ url: '/api' }],
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'The session a sign-in sets. Writes from a browser must come from the site itself (Origin checked).' },
        apiToken: {
          type: 'http',
          scheme: 'bearer',
          description:
            `A personal API token (\`${TOKEN_PREFIX}…\`) made in Settings, sent as \`Authorization: Bearer <API token>\`. ` +
            `It acts as its owner, limited by its scopes (${TOKEN_SCOPES.join(', ')}); each operation lists the scope it needs. ` +
            'Operations without one take a signed-in session only.'
        }
      }
    },
    paths
  });
}

function operation({ route, status, type, doc }: DescribedRoute): ZodOpenApiOperationObject {
  const params = [...route.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
  const pathSchema = params.length ? z.object(Object.fromEntries(params.map((p) => [p, doc.params?.shape[p] ?? z.string()]))) : undefined;
  const scope = routeScopes[route];
  const errors = new Set<ErrorCode>(['unauthenticated', 'forbidden', ...(doc.errors ?? [])]);
  if (doc.body || doc.query || doc.params || doc.upload) errors.add('bad_request');
  if (params.length) errors.add('not_found');
  if (doc.upload) errors.add('payload_too_large');
  return {
    operationId: operationId(route),
    tags: [doc.tag],
    summary: doc.summary,
    description: [doc.description, `**Who:** ${AUDIENCES[doc.who]}`, scope ? `**API token scope:** \`${scope}\`` : '**API tokens:** not accepted; a signed-in session only.']
      .filter(Boolean)
      .join('\n\n'),
    ...((pathSchema || doc.query) && { requestParams: { ...(pathSchema && { path: pathSchema }), ...(doc.query && { query: doc.query as z.ZodObject }) } }),
    ...(doc.body && { requestBody: { required: !doc.optionalBody, content: { 'application/json': { schema: doc.body } } } }),
    ...(doc.upload && {
      requestBody: {
        required: true,
        description: `The file itself, at most ${Math.floor(doc.upload.maxBytes / 1024)} KiB.`,
        content: Object.fromEntries(doc.upload.types.map((t) => [t, { schema: z.string().meta({ format: 'binary' }) }]))
      }
    }),
    responses: {
      [status]: { description: status === 201 ? 'Created.' : 'Done.', content: { [type ?? 'application/json']: { schema: apiReplySchemas[route as keyof typeof apiReplySchemas] } } },
      ...errorResponses(errors)
    },
    security: [...(doc.who === 'anyone' ? [{}] : []), { session: [] }, ...(scope ? [{ apiToken: [scope] }] : [])]
  };
}

/** One response per status, naming the codes that answer with it. */
function errorResponses(codes: Set<ErrorCode>): ZodOpenApiResponsesObject {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) byStatus.set(errorStatus[code], [...(byStatus.get(errorStatus[code]) ?? []), code]);
  return Object.fromEntries(
    [...byStatus].sort(([a], [b]) => a - b).map(([s, cs]) => [String(s), { description: cs.map((c) => `\`${c}\``).join(', '), content: { 'application/json': { schema: apiErrorReplySchema } } }])
  );
}

/** "POST /shows/:id/live" → "postShowsIdLive". */
function operationId(route: string): string {
  const words = route.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  return words.map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join('');
}
