import { error } from '@sveltejs/kit';
import { canHost } from '$shared/auth';
import { salesFilterSchema } from '$shared/orders';
import { appContext } from '$lib/server/context';
import { requireUser } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  const user = requireUser(locals.user, url);
  if (!canHost(user.role)) error(403, { message: 'Only hosts sell.', code: 'forbidden', reason: 'hosts_only' });
  // A filter the list does not know (a stale link) shows everything rather than an error page.
  const parsed = salesFilterSchema.safeParse(Object.fromEntries(url.searchParams));
  const filter = parsed.success ? parsed.data : {};
  const { sales } = appContext();
  return { orders: await sales.list(user, filter), shows: await sales.shows(user), filter };
};
