import { requireRunnableShow } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => ({
  show: await requireRunnableShow(locals.user, url, params.id)
});
