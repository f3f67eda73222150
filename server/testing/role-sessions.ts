import type { RunningApp } from '../app.ts';
import { SESSION_COOKIE } from '../auth/session-cookie.ts';
import type { PublicUser, UserRole } from '#shared/auth.ts';

export interface Actor {
  user: PublicUser;
  /** The `Cookie` header value of a signed-in session. */
  cookie: string;
}

/**
 * An account in `role` with a fresh session, made through the services: HTTP sign-up
 * is rate-limited per address, and tests need many accounts.
 */
export async function actorWithRole(app: RunningApp, email: string, role: UserRole): Promise<Actor> {
  let user = (await app.accounts.findByEmail(email)) ?? (await app.accounts.signUp({ email, password: 'role-password-1', displayName: email.split('@')[0]! }));
  if (user.role !== role) user = await app.accounts.setRole(user.id, role);
  return { user, cookie: `${SESSION_COOKIE}=${(await app.sessions.create(user.id)).token}` };
}
