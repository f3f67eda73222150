import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ClientError } from '$lib/client-error';
import type { ApiTokenDto } from '$shared/api-tokens';
import { ApiTokenList } from './api-token-list.svelte';

const calls: { route: string; opts: unknown }[] = [];
let reply: (route: string, opts: any) => Promise<unknown>;
vi.mock('$lib/api', () => ({ api: vi.fn((route: string, opts: unknown) => (calls.push({ route, opts }), reply(route, opts))) }));

const token = (id: string, name = id): ApiTokenDto => ({ id, name, scopes: ['read'], createdAt: 1, lastUsedAt: null });

describe('the API token list', () => {
  beforeEach(() => {
    calls.length = 0;
    reply = async (route, opts) =>
      route === 'POST /api-tokens' ? { apiToken: { ...token('new', opts.body.name), scopes: opts.body.scopes }, token: 'hawker_pat_new_secret' } : { ok: true };
  });

  it('adds a created token and holds its secret until dismissed', async () => {
    const list = new ApiTokenList([token('a')]);
    await list.create('CI', ['read', 'commerce']);
    expect(calls[0]).toEqual({ route: 'POST /api-tokens', opts: { body: { name: 'CI', scopes: ['read', 'commerce'] } } });
    expect(list.tokens.map((t) => t.name)).toEqual(['a', 'CI']);
    expect(list.created?.token).toBe('hawker_pat_new_secret');
    list.dismiss();
    expect(list.created).toBeNull();
    expect(list.tokens).toHaveLength(2);
  });

  it('keeps the list as it was when creation is refused', async () => {
    const list = new ApiTokenList([token('a')]);
    reply = async () => {
      throw new ClientError('conflict', 'You already have 20 API tokens.', { reason: 'token_limit', limit: 20 });
    };
    await expect(list.create('CI', ['read'])).rejects.toMatchObject({ code: 'conflict' });
    expect(list.tokens.map((t) => t.id)).toEqual(['a']);
    expect(list.created).toBeNull();
  });

  it('removes a revoked token, and forgets its secret if it was the one just shown', async () => {
    const list = new ApiTokenList([token('a'), token('b')]);
    await list.create('CI', ['read']);
    await list.revoke('a');
    expect(calls.at(-1)).toEqual({ route: 'DELETE /api-tokens/:id', opts: { params: { id: 'a' } } });
    expect(list.tokens.map((t) => t.id)).toEqual(['b', 'new']);
    expect(list.created).not.toBeNull();
    await list.revoke('new');
    expect(list.created).toBeNull();
  });

  it('keeps a token whose revocation was refused', async () => {
    const list = new ApiTokenList([token('a')]);
    reply = async () => {
      throw new ClientError('not_found', 'No such API token.');
    };
    await expect(list.revoke('a')).rejects.toBeInstanceOf(ClientError);
    expect(list.tokens.map((t) => t.id)).toEqual(['a']);
  });
});
