import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../errors.ts';
import { readCookie, SESSION_COOKIE, sessionCookie, type SessionStore } from '../auth/session.ts';
import type { PublicUser } from '#shared/auth.ts';
import { isAllowedOrigin } from './origin.ts';

declare module 'express-serve-static-core' {
  interface Locals {
    user: PublicUser | null;
    sessionId: string | null;
  }
}

/** Resolves the session cookie into `res.locals.user`, re-sending the cookie when its expiry slid. */
export function authenticate(sessions: SessionStore, secureCookies: boolean) {
  return (req: Request, res: Response, next: NextFunction) => {
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    const auth = sessions.validate(token);
    res.locals.user = auth?.user ?? null;
    res.locals.sessionId = auth?.session.id ?? null;
    if (auth?.refreshed && token) res.append('Set-Cookie', sessionCookie(token, secureCookies));
    next();
  };
}

/** Rejects cross-site state-changing requests (CSRF) for the JSON API. */
export function sameOriginWrites(allowedOrigins: readonly string[]) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    const site = req.headers['sec-fetch-site'];
    if (site === 'cross-site' || !isAllowedOrigin(req.headers.origin, req.headers.host, allowedOrigins)) {
      return next(new AppError('forbidden', 'Cross-site requests are not allowed.'));
    }
    next();
  };
}

export function requireUser(res: Response): PublicUser {
  const user = res.locals.user;
  if (!user) throw new AppError('unauthenticated', 'Sign in first; your session may have expired.');
  return user;
}
