import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../errors.ts';
import type { ApiTokens } from './api-tokens.ts';
import { bearerToken } from '../http/bearer.ts';
import type { SessionStore } from './session.ts';
import { readCookie, SESSION_COOKIE, sessionCookie } from './session-cookie.ts';

/**
 * Who a request acts as, into `res.locals`. With an `Authorization` header, that header alone decides: a
 * valid API token, or 401; the session cookie is not read, so a request carrying both acts only as the
 * token, and a bad token never falls back to the cookie or to anonymous. Without one, the session cookie,
 * re-sent when its expiry slid.
 */
export function authenticate(sessions: SessionStore, apiTokens: ApiTokens, secureCookies: boolean) {
  return async (req: Request, res: Response, next: NextFunction) => {
    res.locals.apiToken = null;
    const authorization = req.headers.authorization;
    if (authorization !== undefined) {
      const token = bearerToken(authorization);
      const auth = token ? await apiTokens.verify(token) : null;
      if (!auth) {
        // RFC 6750 §3: tell the client which scheme, and that the token itself is the problem.
        res.set('WWW-Authenticate', 'Bearer error="invalid_token"');
        return next(new AppError('unauthenticated', 'The API token is malformed, unknown or revoked.', { reason: 'invalid_token' }));
      }
      res.locals.user = auth.user;
      res.locals.sessionId = null;
      res.locals.apiToken = { id: auth.tokenId, scopes: auth.scopes };
      return next();
    }
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    const auth = await sessions.validate(token);
    res.locals.user = auth?.user ?? null;
    res.locals.sessionId = auth?.session.id ?? null;
    if (auth?.refreshed && token) res.append('Set-Cookie', sessionCookie(token, secureCookies));
    next();
  };
}
