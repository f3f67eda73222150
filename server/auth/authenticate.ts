import type { NextFunction, Request, Response } from 'express';
import type { SessionStore } from './session.ts';
import { readCookie, SESSION_COOKIE, sessionCookie } from './session-cookie.ts';

/** Resolves the session cookie into `res.locals.user`, re-sending the cookie when its expiry slid. */
export function authenticate(sessions: SessionStore, secureCookies: boolean) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    const auth = await sessions.validate(token);
    res.locals.user = auth?.user ?? null;
    res.locals.sessionId = auth?.session.id ?? null;
    if (auth?.refreshed && token) res.append('Set-Cookie', sessionCookie(token, secureCookies));
    next();
  };
}
