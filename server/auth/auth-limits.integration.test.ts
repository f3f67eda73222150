import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';

const password = 'owner-password-1';

let app: RunningApp | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

async function start(env: Record<string, string> = {}): Promise<RunningApp> {
  app = await startApp(testConfig(env), { webHandler: false });
  return app;
}

/** Posts JSON, optionally naming a client through X-Forwarded-For. */
async function post(path: string, body: unknown, forwardedFor?: string): Promise<number> {
  const res = await fetch(`${app!.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
    body: JSON.stringify(body)
  });
  await res.arrayBuffer();
  return res.status;
}

const signUp = (email: string, forwardedFor?: string) =>
  post('/api/auth/signup', { email, password, displayName: email.split('@')[0] }, forwardedFor);
const signIn = (email: string, pw: string, forwardedFor?: string) => post('/api/auth/signin', { email, password: pw }, forwardedFor);

describe('sign-up and sign-in limits', () => {
  it('answers a flood of sign-ups from one address with 429 after the limit, creating no account', async () => {
    await start({ SIGNUP_LIMIT_PER_HOUR: '3' });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push(await signUp(`flood${i}@x.test`));
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
    expect(await app!.accounts.findByEmail('flood3@x.test')).toBeNull();
  });

  it('gives exactly one 201 to simultaneous sign-ups with one email, and 409 to the rest', async () => {
    await start();
    const statuses = await Promise.all(Array.from({ length: 5 }, () => signUp('twin@x.test')));
    expect(statuses.sort()).toEqual([201, 409, 409, 409, 409]);
  });

  it("does not let a stranger's failed sign-ins from another address stop the owner signing in", async () => {
    await start({ TRUST_PROXY: 'loopback' });
    expect(await signUp('owner@x.test', '198.51.100.7')).toBe(201);
    const stranger = await Promise.all(Array.from({ length: 15 }, () => signIn('owner@x.test', 'a-wrong-guess', '203.0.113.9')));
    expect(stranger.filter((s) => s === 401)).toHaveLength(10);
    expect(stranger.filter((s) => s === 429)).toHaveLength(5);
    expect(await signIn('owner@x.test', password, '198.51.100.7')).toBe(200);
  });

  it('answers sign-ins past SIGNIN_LIMIT_PER_ADDRESS from one address with 429, whichever accounts they name', async () => {
    await start({ SIGNIN_LIMIT_PER_ADDRESS: '3' });
    expect(await signUp('a@x.test')).toBe(201);
    expect(await signIn('a@x.test', password)).toBe(200);
    expect(await signIn('b@x.test', 'a-wrong-guess')).toBe(401);
    expect(await signIn('a@x.test', password)).toBe(200);
    expect(await signIn('a@x.test', password)).toBe(429);
  });

  it('with TRUST_PROXY off, a spoofed X-Forwarded-For does not reset the per-address limits', async () => {
    await start({ SIGNUP_LIMIT_PER_HOUR: '2' });
    expect(await signUp('a@x.test')).toBe(201);
    expect(await signUp('b@x.test')).toBe(201);
    expect(await signUp('c@x.test', '10.1.2.3')).toBe(429);
    for (let i = 0; i < 10; i++) expect(await signIn('a@x.test', 'a-wrong-guess', `10.9.0.${i}`)).toBe(401);
    expect(await signIn('a@x.test', 'a-wrong-guess', '10.9.1.1')).toBe(429);
  });

  it('with TRUST_PROXY=loopback, X-Forwarded-For names the client', async () => {
    await start({ SIGNUP_LIMIT_PER_HOUR: '2', TRUST_PROXY: 'loopback' });
    expect(await signUp('a@x.test', '192.0.2.1')).toBe(201);
    expect(await signUp('b@x.test', '192.0.2.1')).toBe(201);
    expect(await signUp('c@x.test', '192.0.2.1')).toBe(429);
    expect(await signUp('c@x.test', '192.0.2.2')).toBe(201);
  });
});
