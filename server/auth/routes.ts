import express from 'express';
import { setRoleSchema, signInSchema, signUpSchema } from '#shared/auth.ts';
import { AppError } from '../errors.ts';
import { apiRoute } from '../http/api-route.ts';
import { parseInput } from '../http/validate.ts';
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

  apiRoute(r, 'POST /auth/signup', async (req, res) => {
    const user = await accounts.signUpFrom(req.ip ?? 'unknown', parseInput(signUpSchema, req.body));
    await startSession(res, user.id);
    return { user };
  }, { status: 201 });

  apiRoute(r, 'POST /auth/signin', async (req, res) => {
    const user = await accounts.signIn(parseInput(signInSchema, req.body), req.ip ?? 'unknown');
    await startSession(res, user.id);
    return { user };
  });

  apiRoute(r, 'POST /auth/signout', async (_req, res) => {
    if (res.locals.sessionId) await sessions.invalidate(res.locals.sessionId);
    res.append('Set-Cookie', clearedSessionCookie(secureCookies));
    return { ok: true };
  });

  apiRoute(r, 'GET /me', (_req, res) => ({ user: res.locals.user }));

  apiRoute(r, 'PUT /users/role', async (req, res) => {
    const actor = requireUser(res);
    if (actor.role !== 'admin') throw new AppError('forbidden', 'Only admins can change roles.');
    const { email, role } = parseInput(setRoleSchema, req.body);
    const target = await accounts.findByEmail(email);
    if (!target) throw new AppError('not_found', 'No account with that email.');
    const user = await accounts.setRole(target.id, role);
    // Open sockets hold the old role: they re-authenticate (a demoted host stops publishing now).
    sessions.rightsChanged(target.id);
    return { user };
  });

  return r;
}
