import type { Response } from 'express';
import type { TokenScope } from '#shared/api-tokens.ts';
import type { PublicUser } from '#shared/auth.ts';
import { AppError } from '../errors.ts';

declare module 'express-serve-static-core' {
  interface Locals {
    /** Who the request acts as; set by the auth domain's `authenticate` before any route. */
    user: PublicUser | null;
    sessionId: string | null;
    /** Set when the request came with `Authorization: Bearer <API token>` (and then no session is read). */
    apiToken: { id: string; scopes: TokenScope[] } | null;
  }
}

export function requireUser(res: Response): PublicUser {
  const user = res.locals.user;
  if (!user) throw new AppError('unauthenticated', 'Sign in first; your session may have expired.');
  return user;
}
