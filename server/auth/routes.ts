import express from 'express';
import { setRoleSchema, signInSchema, signUpSchema } from '#shared/auth.ts';
import { AppError } from '../errors.ts';
import { parseInput } from '../http/validate.ts';
import { requireUser } from '../http/auth-middleware.ts';
import type { Accounts } from './accounts.ts';
import { clearedSessionCookie, sessionCookie, type SessionStore } from './session.ts';

export function authRoutes(deps: { accounts: Accounts; sessions: SessionStore; secureCookies: boolean }): express.Router {
  const r = express.Router();
  const { accounts, sessions, secureCookies } = deps;

  const startSession = (res: express.Response, userId: string) => {
    const { token } = sessions.create(userId);
    res.append('Set-Cookie', sessionCookie(token, secureCookies));
  };

  r.post('/auth/signup', async (req, res) => {
    const user = await accounts.signUpFrom(req.ip ?? 'unknown', parseInput(signUpSchema, req.body));
    startSession(res, user.id);
    res.status(201).json({ user });
  });

  r.post('/auth/signin', async (req, res) => {
    const user = await accounts.signIn(parseInput(signInSchema, req.body), req.ip ?? 'unknown');
    startSession(res, user.id);
    res.json({ user });
  });

  r.post('/auth/signout', (_req, res) => {
    if (res.locals.sessionId) sessions.invalidate(res.locals.sessionId);
    res.append('Set-Cookie', clearedSessionCookie(secureCookies));
    res.json({ ok: true });
  });

  r.get('/me', (_req, res) => {
    res.json({ user: res.locals.user });
  });

  r.put('/users/role', (req, res) => {
    const actor = requireUser(res);
    if (actor.role !== 'admin') throw new AppError('forbidden', 'Only admins can change roles.');
    const { email, role } = parseInput(setRoleSchema, req.body);
    const target = accounts.findByEmail(email);
    if (!target) throw new AppError('not_found', 'No account with that email.');
    const user = accounts.setRole(target.id, role);
    // Open sockets hold the old role: they re-authenticate (a demoted host stops publishing now).
    sessions.rightsChanged(target.id);
    res.json({ user });
  });

  return r;
}
