import fc from 'fast-check';
import type { z } from 'zod';
import { requestSchemas, type RequestMethod } from '#shared/protocol.ts';
import { TEST_CARDS } from '../../commerce/payments.ts';
import { IdRef, kindOfField } from './id-pools.ts';
import type { RestRoute } from './rest-routes.ts';
import { ACTOR_NAMES, COUPON_CODES, type ActorName } from './world.ts';
import { arbitraryFor, type FieldHook } from './zod-arbitrary.ts';
import { mediaTemplates } from './media-templates.ts';

const toString = Symbol.for('fast-check/toStringMethod');

/** A long string, built only when sent so counterexamples stay readable. */
export class Huge {
  readonly length: number;
  constructor(length: number) {
    this.length = length;
  }
  toJSON(): string {
    return 'x'.repeat(this.length);
  }
  [toString](): string {
    return `huge(${this.length})`;
  }
}

export type WsFrame =
  /** A request the server must answer exactly once, by id. */
  | { request: string; data: unknown }
  /** Any other text: broken JSON, a bad envelope, an unknown method. */
  | { junk: string };

export type Step =
  /** (Re)connects socket `slot` as `actor`, dropping whatever socket held the slot. */
  | { t: 'open'; slot: number; actor: ActorName }
  /** Several frames in one TCP write. */
  | { t: 'send'; slot: number; frames: WsFrame[] }
  /** The socket goes away without a close frame, maybe with requests in flight. */
  | { t: 'drop'; slot: number }
  | { t: 'http'; actor: ActorName; route: RestRoute; params: unknown[]; body: unknown; rawBody: boolean }
  /** A hand-written upgrade request with an odd path or cookie. */
  | { t: 'upgrade'; path: string; cookie: string }
  /** Waits until every request sent so far is answered, then checks the room invariants. */
  | { t: 'settle' };

export const SLOTS = 4;

const junkIds = fc.constantFrom('unknown', '0', '-1', ' ', '..', 'null', '%', '%E0%A4%A', 'a'.repeat(64), 'a'.repeat(300), '1e400', '../../etc/passwd');

/** Ids in requests: mostly ones that exist (someone's), sometimes ones nobody has or no parser expects. */
const hook: FieldHook = (key, type) => {
  const kind = kindOfField(key);
  if (kind) return fc.oneof({ arbitrary: fc.nat(64).map((n) => new IdRef(kind, n)), weight: 8 }, { arbitrary: type === 'number' ? fc.integer() : junkIds, weight: 2 });
  if (type === 'number') return null;
  switch (key) {
    case 'idempotencyKey':
      // Few keys, so retries and double taps happen.
      return fc.oneof(fc.constantFrom('fuzz-key-0001', 'fuzz-key-0002', 'fuzz-key-0003'), fc.string({ minLength: 8, maxLength: 12 }));
    case 'number':
      return fc.constantFrom(...Object.values(TEST_CARDS), '4242 4242 4242 4241', '');
    case 'expiry':
      return fc.constantFrom('12/40', '01/20', '13/99');
    case 'cvc':
      return fc.constantFrom('123', '12');
    case 'couponCode':
    case 'code':
      return fc.constantFrom(...COUPON_CODES, 'NOPE', 'fuzzpct');
    case 'email':
      return fc.constantFrom(...ACTOR_NAMES.map((n) => `fuzz-${n.toLowerCase()}@example.com`), 'admin@hawker.local', 'not-an-email');
    case 'password':
      return fc.constantFrom('fuzz-password-1', 'wrong-password-9');
    default:
      return null;
  }
};

type Mutation =
  | null
  | { wrongType: number; value: unknown }
  | { huge: number; length: number }
  | { omit: number }
  | { extra: string; value: unknown }
  | { replace: unknown };

/** What a step does to a well-shaped body: nothing most of the time, else one hostile change. */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.constant(null), weight: 15 },
  { arbitrary: fc.record({ wrongType: fc.nat(), value: fc.constantFrom(null, 0, -1, 1e308, '', [], {}, true, 'x', [1, 2]) }), weight: 1 },
  { arbitrary: fc.record({ huge: fc.nat(), length: fc.constantFrom(3_000, 70_000) }), weight: 1 },
  { arbitrary: fc.record({ omit: fc.nat() }), weight: 1 },
  { arbitrary: fc.record({ extra: fc.constantFrom('constructor', 'role', 'userId', 'sellerId', 'buyerId', 'price', 'total', 'status'), value: fc.jsonValue({ maxDepth: 1 }) }), weight: 1 },
  { arbitrary: fc.record({ replace: fc.constantFrom(null, 42, 'text', [], [1, 2], true) }), weight: 1 }
);

function mutate(body: unknown, change: Mutation): unknown {
  if (change === null) return body;
  if ('replace' in change) return change.replace;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const copy = { ...(body as Record<string, unknown>) };
  const keys = Object.keys(copy);
  if ('extra' in change) return { ...copy, [change.extra]: change.value };
  if (!keys.length) return copy;
  if ('wrongType' in change) copy[keys[change.wrongType % keys.length]!] = change.value;
  else if ('huge' in change) copy[keys[change.huge % keys.length]!] = new Huge(change.length);
  else if ('omit' in change) delete copy[keys[change.omit % keys.length]!];
  return copy;
}

const withMutation = (valid: fc.Arbitrary<unknown>) => fc.tuple(valid, mutation).map(([body, m]) => mutate(body, m));

const schemaBody = (schema: z.ZodType) => withMutation(arbitraryFor(schema, hook));

/** How often each method is tried: joins and leaves more, since rooms are where ghosts come from. */
const methodWeight: Partial<Record<RequestMethod, number>> = { join: 6, leave: 3, createTransport: 3, consume: 2, heart: 3, bid: 3, chatSend: 2 };

export function wsFrameArbitrary(): fc.Arbitrary<WsFrame> {
  const requests = (Object.keys(requestSchemas) as RequestMethod[]).map((method) => {
    const generated = schemaBody(requestSchemas[method]);
    const template = mediaTemplates[method];
    const data = template ? fc.oneof({ arbitrary: template, weight: 3 }, { arbitrary: generated, weight: 1 }) : generated;
    return { arbitrary: data.map((d): WsFrame => ({ request: method, data: d })), weight: methodWeight[method] ?? 1 };
  });
  const junk = fc
    .oneof(
      fc.constantFrom('', 'not json', '{', '[]', 'null', '{"id":1}', '{"id":-1,"method":"ping","data":{}}', '{"id":"7","method":"ping","data":{}}',
        '{"id":7,"method":"toString","data":{}}', '{"id":7,"method":"__proto__","data":{}}', '{"id":7,"method":"hasOwnProperty"}',
        '{"id":1e400,"method":"ping","data":{"clientTime":1}}'),
      fc.string({ maxLength: 40 })
    )
    .map((text): WsFrame => ({ junk: text }));
  return fc.oneof({ arbitrary: fc.oneof(...requests), weight: 12 }, { arbitrary: junk, weight: 1 });
}

function httpStep(routes: RestRoute[]): fc.Arbitrary<Step> {
  const anyBody = () => fc.oneof(...routes.flatMap((r) => (r.body ? [schemaBody(r.body)] : [])), fc.jsonValue({ maxDepth: 2 }));
  const perRoute = routes.map((route) =>
    fc.record({
      t: fc.constant('http' as const),
      actor: fc.constantFrom(...ACTOR_NAMES),
      route: fc.constant(route),
      params: fc.tuple(...route.params.map((p) => (p.kind ? fc.oneof({ arbitrary: fc.nat(64).map((n) => new IdRef(p.kind!, n)), weight: 8 }, { arbitrary: junkIds, weight: 1 }) : junkIds))),
      body: route.method === 'GET' ? fc.constant(undefined) : route.body ? schemaBody(route.body) : anyBody(),
      // Now and then a body that is not JSON at all.
      rawBody: fc.nat(19).map((n) => n === 0)
    })
  );
  return fc.oneof(...perRoute);
}

export function stepArbitrary(routes: RestRoute[]): fc.Arbitrary<Step> {
  const slot = fc.nat(SLOTS - 1);
  return fc.oneof(
    { arbitrary: fc.record({ t: fc.constant('send' as const), slot, frames: fc.array(wsFrameArbitrary(), { minLength: 1, maxLength: 5 }) }), weight: 10 },
    { arbitrary: httpStep(routes), weight: 6 },
    { arbitrary: fc.record({ t: fc.constant('open' as const), slot, actor: fc.constantFrom(...ACTOR_NAMES) }), weight: 1 },
    { arbitrary: fc.record({ t: fc.constant('drop' as const), slot }), weight: 1 },
    { arbitrary: fc.record({ t: fc.constant('settle' as const) }), weight: 2 },
    {
      arbitrary: fc.record({
        t: fc.constant('upgrade' as const),
        path: fc.constantFrom('/ws', '//', '/ws?x=%', '/%', '/ws/../ws', 'http://[::1', '*'),
        cookie: fc.constantFrom('', 'hawker_session=%', 'hawker_session=%E0%A4%A', 'a=b; hawker_session=x.y')
      }),
      weight: 1
    }
  );
}

/** One run: who holds each socket at the start, then the steps. */
export function runArbitrary(routes: RestRoute[], maxSteps: number) {
  return fc.record({
    sockets: fc.array(fc.constantFrom(...ACTOR_NAMES), { minLength: SLOTS, maxLength: SLOTS }),
    // Full-length runs from the start (fast-check would begin small); shrinking still goes down to one step.
    steps: fc.array(stepArbitrary(routes), { minLength: 1, maxLength: maxSteps, size: 'max' })
  });
}
export type Run = ReturnType<typeof runArbitrary> extends fc.Arbitrary<infer T> ? T : never;
