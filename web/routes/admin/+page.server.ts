import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
  if (requireUser(locals.user, url).role !== 'admin') error(403, { message: 'Admins only.', code: 'forbidden', reason: 'admins_only' });
  return {};
};
