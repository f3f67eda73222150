import { error } from '@sveltejs/kit';
import { canHost } from '$shared/auth';
import { appContext } from '$lib/server/context';
import { requireUser } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  const user = requireUser(locals.user, url);
  if (!canHost(user.role)) error(403, { message: 'Only hosts sell.', code: 'forbidden', reason: 'hosts_only' });
  return { endpoints: await appContext().webhooks.list(user) };
};
