import express from 'express';
import { setRoleSchema, signInSchema, signUpSchema } from '#shared/auth.ts';
import { AppError } from '../errors.ts';
import { apiRoute } from '../http/api-route.ts';
import { requireUser } from '../http/current-user.ts';
import type { Accounts } from './accounts.ts';
import { type SessionStore } from './session.ts';
import { clearedSessionCookie, sessionCookie } from './session-cookie.ts';

export function authRoutes(deps: { accounts: Accounts; sessions: SessionStore; secureCookies: boolean }): express.Router {
  const r = express.Router();
  const { accounts, sessions, secureCookies } = deps;

  const startSession = async (res: express.Response, userId: string) => {
    const { token } = await sessions.create(userId);
    res.append('Set-Cookie', sessionCookie(token, secureCookies));
  };

  apiRoute(r, 'POST /auth/signup', async (req, res, input) => {
    const user = await accounts.signUpFrom(req.ip ?? 'unknown', input.body);
    await startSession(res, user.id);
    return { user };
  }, { status: 201, doc: { tag: 'Accounts', who: 'anyone', summary: 'Create an account', description: 'Signs the new account in (sets the session cookie). Limited per address per hour.', body: signUpSchema, errors: ['conflict', 'rate_limited'] } });

  apiRoute(r, 'POST /auth/signin', async (req, res, input) => {
    const user = await accounts.signIn(input.body, req.ip ?? 'unknown');
    await startSession(res, user.id);
    return { user };
  }, { doc: { tag: 'Accounts', who: 'anyone', summary: 'Sign in', description: 'Sets the session cookie.', body: signInSchema, errors: ['rate_limited'] } });

  apiRoute(r, 'POST /auth/signout', async (_req, res) => {
    if (res.locals.sessionId) await sessions.invalidate(res.locals.sessionId);
    res.append('Set-Cookie', clearedSessionCookie(secureCookies));
    return { ok: true };
  }, { doc: { tag: 'Accounts', who: 'anyone', summary: 'Sign out', description: 'Ends the session and clears its cookie.' } });

  apiRoute(r, 'GET /me', (_req, res) => ({ user: res.locals.user }), { doc: { tag: 'Accounts', who: 'anyone', summary: 'The signed-in account', description: '`user` is null when signed out.' } });

  apiRoute(r, 'PUT /users/role', async (_req, res, input) => {
    const actor = requireUser(res);
    if (actor.role !== 'admin') throw new AppError('forbidden', 'Only admins can change roles.');
    const { email, role } = input.body;
    const target = await accounts.findByEmail(email);
    if (!target) throw new AppError('not_found', 'No account with that email.');
    const user = await accounts.setRole(target.id, role);
    // Open sockets hold the old role: they re-authenticate (a demoted host stops publishing now).
    sessions.rightsChanged(target.id);
    return { user };
  }, { doc: { tag: 'Accounts', who: 'admin', summary: "Change an account's role", body: setRoleSchema, errors: ['not_found'] } });

  return r;
}
