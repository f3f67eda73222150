import type { RunningApp } from '../../app.ts';
import { SESSION_COOKIE } from '../../auth/session-cookie.ts';
import type { PublicUser, UserRole } from '#shared/auth.ts';
import { IdPools } from './id-pools.ts';

/** Who sends a fuzzed request: every role the server tells apart, plus a cookie no parser expects. */
export const ACTOR_NAMES = ['anonymous', 'badCookie', 'buyer', 'buyer2', 'otherHost', 'moderator', 'host', 'admin'] as const;
export type ActorName = (typeof ACTOR_NAMES)[number];

const accounts: Record<Exclude<ActorName, 'anonymous' | 'badCookie'>, UserRole> = {
  buyer: 'buyer', buyer2: 'buyer', otherHost: 'host', moderator: 'moderator', host: 'host', admin: 'admin'
};

export const COUPON_CODES = ['FUZZPCT', 'FUZZAMT'] as const;

export interface World {
  /** `Cookie` header per actor ('' for anonymous). */
  cookies: Record<ActorName, string>;
  users: Partial<Record<ActorName, PublicUser>>;
  pools: IdPools;
  /** The show the fuzzed requests aim at, live, owned by `host`. */
  showId: string;
  /** Units each product variant of the run was created with (the stock ledger's starting point). */
  initialStock: Map<string, number>;
  ownerOf: Map<string, ActorName>;
  /** A variant outside the ledger, where a legitimate stock edit by its owner goes. */
  scratchVariantId: string;
}

/** The accounts of a fuzz run, created once (password hashing is slow on purpose). */
export async function createAccounts(app: RunningApp): Promise<Map<ActorName, PublicUser>> {
  const users = new Map<ActorName, PublicUser>();
  for (const name of Object.keys(accounts) as ActorName[]) {
    const email = `fuzz-${name.toLowerCase()}@example.com`;
    const user = (await app.accounts.findByEmail(email)) ?? (await app.accounts.signUp({ email, password: 'fuzz-password-1', displayName: name }));
    users.set(name, user);
  }
  return users;
}

/**
 * A fresh world for one run, made through the real API: a live show of `host` with two
 * products in its lineup, a started lot, a drop with a flash sale, two coupons and a poll;
 * another host's live show and product to cross over to. Roles are reset and sessions
 * renewed, since the previous run may have signed out, demoted or banned anyone.
 */
export async function createWorld(app: RunningApp, users: Map<ActorName, PublicUser>, run: number): Promise<World> {
  const cookies = { anonymous: '', badCookie: `${SESSION_COOKIE}=%E0%A4%A; theme=%` } as Record<ActorName, string>;
  const worldUsers: World['users'] = {};
  for (const [name, user] of users) {
    worldUsers[name] = await app.accounts.setRole(user.id, accounts[name as keyof typeof accounts]);
    cookies[name] = `${SESSION_COOKIE}=${(await app.sessions.create(user.id)).token}`;
  }
  const pools = new IdPools();
  for (const user of Object.values(worldUsers)) pools.add('user', user.id);
  const initialStock = new Map<string, number>();
  const ownerOf = new Map<string, ActorName>();
  const call = async (actor: ActorName, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${app.url}/api${path}`, {
      method,
      headers: { 'content-type': 'application/json', cookie: cookies[actor] },
      body: body === undefined ? undefined : JSON.stringify(body)
    });
    const json = (await res.json()) as Record<string, any>;
    if (!res.ok) throw new Error(`fuzz world setup: ${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
    pools.learn(json);
    return json;
  };
  const product = async (owner: ActorName, body: object) => {
    const created = (await call(owner, 'POST', '/products', { currency: 'USD', ...body })).product as { id: string; variants: { id: string; stock: number }[] };
    for (const v of created.variants) {
      initialStock.set(v.id, v.stock);
      ownerOf.set(v.id, owner);
    }
    return created;
  };
  const liveShow = async (owner: ActorName, title: string) => {
    const show = (await call(owner, 'POST', '/shows', { title, scheduledAt: Date.now() })).show as { id: string };
    await call(owner, 'POST', `/shows/${show.id}/live`, {});
    return show.id;
  };

  const showId = await liveShow('host', `Fuzz run ${run}`);
  const mug = await product('host', { title: 'Mug', price: 1_500, stock: 6 });
  const shirt = await product('host', { title: 'Shirt', price: 2_500, variants: [{ name: 'S', stock: 3 }, { name: 'L', stock: 4, price: 2_700 }] });
  await call('host', 'PUT', `/shows/${showId}/lineup`, { productIds: [mug.id, shirt.id] });
  const lot = (await call('host', 'POST', `/shows/${showId}/lots`, { title: 'Vase', startingPrice: 1_000, durationSeconds: 30 })).lot as { id: string };
  await call('host', 'POST', `/lots/${lot.id}/start`, {});
  await call('host', 'POST', `/shows/${showId}/drops`, {
    productId: shirt.id, countdownSeconds: 0,
    sale: { discountKind: 'percent', discountValue: 20, durationSeconds: 600, quantity: 3, perBuyerLimit: 2 }
  });
  await call('host', 'POST', `/shows/${showId}/coupons`, { code: COUPON_CODES[0], discountKind: 'percent', discountValue: 10, maxClaims: 3 });
  await call('host', 'POST', `/shows/${showId}/coupons`, { code: COUPON_CODES[1], discountKind: 'amount', discountValue: 500, currency: 'USD', maxClaims: 2 });
  await call('host', 'POST', `/shows/${showId}/polls`, { question: 'Which colour?', options: ['Red', 'Blue', 'Green'] });

  const otherShowId = await liveShow('otherHost', `Other fuzz run ${run}`);
  const lamp = await product('otherHost', { title: 'Lamp', price: 9_900, stock: 2 });
  await call('otherHost', 'PUT', `/shows/${otherShowId}/lineup`, { productIds: [lamp.id] });

  const scratch = (await call('host', 'POST', '/products', { currency: 'USD', title: 'Scratch', price: 100, stock: 1 })).product as { variants: { id: string }[] };
  return { cookies, users: worldUsers, pools, showId, initialStock, ownerOf, scratchVariantId: scratch.variants[0]!.id };
}
