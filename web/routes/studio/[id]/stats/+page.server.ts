import { requireRunnableShow } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url, params }) => ({
  show: requireRunnableShow(locals.user, url, params.id)
});
