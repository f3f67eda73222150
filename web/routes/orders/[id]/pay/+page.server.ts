import { error } from '@sveltejs/kit';
import { appContext } from '$lib/server/context';
import { requireUser } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
  const user = requireUser(locals.user, url);
  const { orders } = appContext();
  const order = await orders.get(params.id).catch(() => null);
  // Someone else's order is answered as if it did not exist.
  if (!order || order.buyerId !== user.id) error(404, { message: 'No such order.', code: 'not_found', reason: 'no_order' });
  return { order: await orders.dto(order) };
};
