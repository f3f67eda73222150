import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../errors.ts';

/**
 * Same-origin check for state-changing requests and ws upgrades. Browsers always
 * send Origin on both; a request without one comes from a non-browser client,
 * which cannot carry a victim's cookies, so it is let through.
 */
export function isAllowedOrigin(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (!origin) return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** Rejects cross-site state-changing requests (CSRF) for the JSON API. */
export function sameOriginWrites(allowedOrigins: readonly string[]) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    // A request with an Authorization header is authenticated by that header alone, never by its cookies
    // (auth/authenticate.ts), and a cross-site page cannot add the header without a CORS preflight we never grant.
    if (req.headers.authorization !== undefined) return next();
    const site = req.headers['sec-fetch-site'];
    if (site === 'cross-site' || !isAllowedOrigin(req.headers.origin, req.headers.host, allowedOrigins)) {
      return next(new AppError('forbidden', 'Cross-site requests are not allowed.'));
    }
    next();
  };
}
