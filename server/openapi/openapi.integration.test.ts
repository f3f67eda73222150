import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiReplySchemas, type ApiRoute } from '#shared/api.ts';
import { startApp, type RunningApp } from '../app.ts';
import { SESSION_COOKIE } from '../auth/session-cookie.ts';
import { descriptionOf, type DescribedRoute } from '../http/route-doc.ts';
import { servedRoutes } from '../http/route-table.ts';
import { httpRules, type HttpCall } from '../testing/authorization-table.ts';
import { World, type Role } from '../testing/authorization-world.ts';
import { actorWithRole } from '../testing/role-sessions.ts';
import { testConfig } from '../testing/test-config.ts';

/**
 * The OpenAPI document against the server itself: every route the server serves under /api is in
 * it (read from the router, so a route added without a description fails here), and every
 * documented operation, called with a request its documented schemas accept, answers with a
 * documented status and a reply its documented schema accepts.
 */

interface Operation {
  route: string;
  successStatus: number;
  mediaType: string;
}

let app: RunningApp;
let document: { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>> };
let actors: World['actors'];
let worlds = 0;

beforeAll(async () => {
  app = await startApp(
    testConfig({
      BUYS_PER_MINUTE: '100000', MAX_UNPAID_UNITS_PER_BUYER: '100000', SIGNUP_LIMIT_PER_HOUR: '100000', MAX_OPEN_SHOWS_PER_HOST: '100000',
      // The world's webhook endpoint is on loopback (a port that refuses): nothing leaves the machine.
      WEBHOOKS_ALLOW_PRIVATE_ADDRESSES: 'true', WEBHOOKS_ALLOW_HTTP: 'true'
    }),
    { webHandler: false }
  );
  const res = await fetch(`${app.url}/api/openapi.json`);
  expect(res.status).toBe(200);
  document = (await res.json()) as typeof document;
  actors = {
    buyer: await actorWithRole(app, 'buyer@openapi.test', 'buyer'),
    otherHost: await actorWithRole(app, 'other-host@openapi.test', 'host'),
    moderator: await actorWithRole(app, 'moderator@openapi.test', 'moderator'),
    owner: await actorWithRole(app, 'owner@openapi.test', 'host'),
    admin: await actorWithRole(app, 'admin@openapi.test', 'admin')
  };
});
afterAll(async () => {
  await app?.close();
});

/** "METHOD /path" of every operation in the document, with its success status and reply media type. */
function documented(): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => {
      const [status, reply] = Object.entries(op.responses).find(([s]) => s.startsWith('2'))!;
      return { route: `${method.toUpperCase()} ${path.replace(/\{([A-Za-z]+)\}/g, ':$1')}`, successStatus: Number(status), mediaType: Object.keys(reply.content ?? {})[0] ?? '' };
    })
  );
}

/** Every route the running server serves under /api, as "METHOD /path" below /api. */
function served(): { route: string; described: DescribedRoute | undefined }[] {
  const root = app.server.listeners('request')[0] as unknown as { router: { stack: unknown[] } };
  return servedRoutes(root.router)
    .filter((r) => r.path.startsWith('/api/'))
    .map((r) => ({ route: `${r.method} ${r.path.slice('/api'.length)}`, described: descriptionOf(r.handler) }));
}

describe('OpenAPI document: coverage', () => {
  it('documents every route the API router serves, and nothing it does not', () => {
    const routes = served().map((r) => r.route);
    const inDocument = documented().map((o) => o.route);
    expect(routes.length).toBeGreaterThan(60);
    expect(routes.filter((r) => !inDocument.includes(r))).toEqual([]);
    expect(inDocument.filter((r) => !routes.includes(r))).toEqual([]);
  });

  it('is OpenAPI 3.1 with both ways to authenticate, and the reference page loads only this origin’s files', async () => {
    const raw = (await (await fetch(`${app.url}/api/openapi.json`)).json()) as { openapi: string; components: { securitySchemes: Record<string, { type: string; scheme?: string; in?: string }> } };
    expect(raw.openapi).toBe('3.1.0');
    expect(raw.components.securitySchemes.session).toMatchObject({ type: 'apiKey', in: 'cookie', name: SESSION_COOKIE });
    expect(raw.components.securitySchemes.apiToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    const page = await fetch(`${app.url}/api/docs`);
    const html = await page.text();
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self';");
    expect(html).not.toMatch(/<script>|<script [^>]*>[^<]/);
    for (const src of [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!)) {
      expect(src).toMatch(/^\/api\/docs\//);
      expect((await fetch(`${app.url}${src}`)).status, src).toBe(200);
    }
  });
});

/** The role a documented call is made as: one the authorization table allows, the show's host first. */
function callerFor(route: ApiRoute): Role {
  const allowed = httpRules[route].allowed;
  return (['owner', 'buyer', 'admin', 'moderator', 'otherHost', 'anonymous'] as const).find((r) => allowed.includes(r))!;
}

async function send(method: string, call: HttpCall, role: Role): Promise<Response> {
  const headers: Record<string, string> = role === 'anonymous' ? {} : { cookie: `${SESSION_COOKIE}=${(await app.sessions.create(actors[role].user.id)).token}` };
  let body: BodyInit | undefined;
  if (call.raw) {
    headers['content-type'] = call.raw.type;
    body = new Uint8Array(call.raw.bytes);
  } else if (method !== 'GET' && call.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(call.body);
  }
  return fetch(`${app.url}/api${call.path}`, { method, headers, body });
}

describe('OpenAPI document: every documented operation against the live server', () => {
  const routes = Object.keys(httpRules) as ApiRoute[];
  it.each(routes)('%s', async (route) => {
    const operation = documented().find((o) => o.route === route);
    const described = served().find((r) => r.route === route)?.described;
    expect(operation, `${route} is not documented`).toBeDefined();
    expect(described).toBeDefined();
    const [method] = route.split(' ') as [string];
    const role = callerFor(route);
    const w = await World.create(app, actors, await actorWithRole(app, `target-${++worlds}@openapi.test`, 'buyer'), worlds);
    try {
      const call = await httpRules[route].call(w, role);
      // The request is one the document allows.
      const { doc } = described!;
      if (doc.body) expect(doc.body.safeParse(call.body ?? (doc.optionalBody ? {} : undefined)).error).toBeUndefined();
      if (doc.query) expect(doc.query.safeParse(Object.fromEntries(new URL(call.path, 'http://x').searchParams)).error).toBeUndefined();
      if (call.raw) expect(doc.upload?.types).toContain(call.raw.type);

      const res = await send(method, call, role);
      const text = await res.text();
      expect(res.status, text).toBe(operation!.successStatus);
      expect(res.headers.get('content-type')?.split(';')[0]).toBe(operation!.mediaType.split(';')[0]);
      const reply = operation!.mediaType === 'application/json' ? JSON.parse(text) : text;
      const parsed = apiReplySchemas[route as keyof typeof apiReplySchemas].safeParse(reply);
      expect(parsed.error?.issues ?? [], JSON.stringify(reply).slice(0, 2000)).toEqual([]);
    } finally {
      await w.close();
    }
  });
});
