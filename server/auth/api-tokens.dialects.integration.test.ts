import { eq } from 'drizzle-orm';
import { beforeEach, expect, it } from 'vitest';
import type { PublicUser } from '#shared/auth.ts';
import { onEachDialect } from '../testing/dialects.ts';
import { LimitStore } from '../limits/shared-limits.ts';
import { ApiTokens } from './api-tokens.ts';
import { parseToken } from './api-token-format.ts';

let serial = 0;

onEachDialect('API tokens', (repo) => {
  let now: number;
  let tokens: ApiTokens;
  let host: PublicUser;

  const user = async (role: PublicUser['role']): Promise<PublicUser> => {
    const id = `tok${++serial}`;
    const u = { id, email: `${id}@b.c`, displayName: 'A', role };
    await repo().changes(repo().db.insert(repo().t.users).values({ ...u, passwordHash: 'x' }));
    return u;
  };
  const rowOf = async (id: string) => (await repo().one(repo().db.select().from(repo().t.apiTokens).where(eq(repo().t.apiTokens.id, id))))!;

  beforeEach(async () => {
    now = 1_000_000;
    tokens = new ApiTokens(repo(), { maxLivePerAccount: 3, creationsPerHour: 5 }, new LimitStore(), () => now);
    host = await user('host');
  });

  it('keeps only a hash of the secret, and verifies the token it handed out as its owner with its scopes', async () => {
    const created = await tokens.create(host, { name: 'CI', scopes: ['read', 'shows'] }, '198.51.100.1');
    const { id, secret } = parseToken(created.token)!;
    expect(created.apiToken).toEqual({ id, name: 'CI', scopes: ['read', 'shows'], createdAt: now, lastUsedAt: null });
    const row = await rowOf(id);
    expect(Buffer.isBuffer(row.secretHash)).toBe(true);
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(await tokens.verify(created.token)).toEqual({ tokenId: id, scopes: ['read', 'shows'], user: host });
    expect(await tokens.list(host.id)).toEqual([{ ...created.apiToken, lastUsedAt: now }]);
  });

  it('refuses a wrong secret, a malformed token and an unknown id', async () => {
    const { token } = await tokens.create(host, { name: 'CI', scopes: ['read'] }, '198.51.100.1');
    const { id } = parseToken(token)!;
    expect(await tokens.verify(token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA'))).toBeNull();
    expect(await tokens.verify(`hawker_pat_${id}`)).toBeNull();
    expect(await tokens.verify(token.replace(id, 'abcdefghijkmnpqrstuvwxyz'))).toBeNull();
    expect(await tokens.verify(`${token}\u0000`)).toBeNull();
  });

  it('records the last use at most once a minute', async () => {
    const { token, apiToken } = await tokens.create(host, { name: 'CI', scopes: ['read'] }, '198.51.100.1');
    await tokens.verify(token);
    expect((await rowOf(apiToken.id)).lastUsedAt).toBe(1_000_000);
    now += 59_000;
    await tokens.verify(token);
    expect((await rowOf(apiToken.id)).lastUsedAt).toBe(1_000_000);
    now += 1_000;
    await tokens.verify(token);
    expect((await rowOf(apiToken.id)).lastUsedAt).toBe(1_060_000);
  });

  it('revokes at once; only the owner can, and only once', async () => {
    const { token, apiToken } = await tokens.create(host, { name: 'CI', scopes: ['read'] }, '198.51.100.1');
    const other = await user('host');
    await expect(tokens.revoke(other.id, apiToken.id)).rejects.toMatchObject({ code: 'not_found' });
    expect(await tokens.verify(token)).not.toBeNull();
    await tokens.revoke(host.id, apiToken.id);
    expect(await tokens.verify(token)).toBeNull();
    expect(await tokens.list(host.id)).toEqual([]);
    await expect(tokens.revoke(host.id, apiToken.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('holds an account to its live tokens, counting only unrevoked ones, and to its creations per hour', async () => {
    const made = [];
    for (let i = 0; i < 3; i++) {
      made.push(await tokens.create(host, { name: `t${i}`, scopes: ['read'] }, '198.51.100.1'));
      now += 1_000;
    }
    await expect(tokens.create(host, { name: 'fourth', scopes: ['read'] }, '198.51.100.1')).rejects.toMatchObject({ code: 'conflict', params: { reason: 'token_limit', limit: 3 } });
    await tokens.revoke(host.id, made[0]!.apiToken.id);
    await tokens.create(host, { name: 'after a revoke', scopes: ['read'] }, '198.51.100.1');
    // Five creations counted (the refused one too): the sixth in the hour is refused before anything else.
    await tokens.revoke(host.id, made[1]!.apiToken.id);
    await expect(tokens.create(host, { name: 'sixth', scopes: ['read'] }, '198.51.100.1')).rejects.toMatchObject({ code: 'rate_limited' });
    expect((await tokens.list(host.id)).map((t) => t.name)).toEqual(['t2', 'after a revoke']);
  });

  it('holds an address to three times an account’s creations, whatever the accounts', async () => {
    const oncePerHour = new ApiTokens(repo(), { maxLivePerAccount: 10, creationsPerHour: 1 }, new LimitStore(), () => now);
    const hosts = [await user('host'), await user('host'), await user('host'), await user('host'), await user('host')];
    for (const h of hosts.slice(0, 3)) await oncePerHour.create(h, { name: 'CI', scopes: ['read'] }, '2001:db8:1:2::1');
    // The same /64: the same address for the limit.
    await expect(oncePerHour.create(hosts[3]!, { name: 'CI', scopes: ['read'] }, '2001:db8:1:2::99')).rejects.toMatchObject({ code: 'rate_limited' });
    await oncePerHour.create(hosts[4]!, { name: 'CI', scopes: ['read'] }, '198.51.100.9');
  });

  it('lets only hosts create tokens, and stops working with its account', async () => {
    const buyer = await user('buyer');
    await expect(tokens.create(buyer, { name: 'CI', scopes: ['read'] }, '198.51.100.1')).rejects.toMatchObject({ code: 'forbidden', params: { reason: 'hosts_only' } });
    const { token } = await tokens.create(host, { name: 'CI', scopes: ['read'] }, '198.51.100.1');
    await repo().changes(repo().db.delete(repo().t.users).where(eq(repo().t.users.id, host.id)));
    expect(await tokens.verify(token)).toBeNull();
  });

  it('gives exactly the limit to simultaneous creations', async () => {
    const results = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => tokens.create(host, { name: `race${i}`, scopes: ['read'] }, '198.51.100.1')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(await tokens.list(host.id)).toHaveLength(3);
  });
});
