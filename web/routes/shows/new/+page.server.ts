import { error } from '@sveltejs/kit';
import { canHost } from '$shared/auth';
import { requireUser } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
  const user = requireUser(locals.user, url);
  if (!canHost(user.role)) error(403, { message: 'Only hosts can create shows. Ask an admin to make you a host.', code: 'forbidden', reason: 'hosts_only' });
  return {};
};
