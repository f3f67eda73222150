import { error } from '@sveltejs/kit';
import { appContext } from '$lib/server/context';
import { requireUser } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url, params }) => {
  const user = requireUser(locals.user, url);
  const { orders } = appContext();
  try {
    const order = orders.get(params.id);
    if (order.buyerId !== user.id) throw new Error('not yours');
    return { order: orders.dto(order) };
  } catch {
    error(404, { message: 'No such order.', code: 'not_found', reason: 'no_order' });
  }
};
