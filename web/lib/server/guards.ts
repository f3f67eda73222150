import { error, redirect } from '@sveltejs/kit';
import type { PublicUser } from '$shared/auth';
import type { ErrorCode, ErrorParams } from '$shared/errors';
import type { ShowDto } from '$shared/shows';
import { appContext } from './context';

/** The signed-in user, or a redirect to sign-in that comes back to `url`. */
export function requireUser(user: PublicUser | null, url: URL): PublicUser {
  if (!user) redirect(303, `/signin?next=${encodeURIComponent(url.pathname)}`);
  return user;
}

/** The show if `user` may run it; 404/403 pages otherwise. Load functions call this every time. */
export async function requireRunnableShow(user: PublicUser | null, url: URL, showId: string): Promise<ShowDto> {
  const actor = requireUser(user, url);
  try {
    return await appContext().shows.assertCanRun(actor, showId);
  } catch (err) {
    // The services come from the composition root, not this bundle: their AppError is known by its code.
    const { code, params } = err as { code?: ErrorCode; params?: ErrorParams };
    if (code === 'not_found') error(404, { message: 'No such show.', code, reason: 'no_show' });
    if (code === 'forbidden' || code === 'unauthenticated') error(403, { message: (err as Error).message, code, ...(params?.reason && { reason: params.reason }) });
    // Anything else is ours to fix: a 500 whose details stay in the log.
    throw err;
  }
}
