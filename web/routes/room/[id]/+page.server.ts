import { error } from '@sveltejs/kit';
import { appContext } from '$lib/server/context';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params }) => {
  try {
    return { show: appContext().shows.get(params.id) };
  } catch {
    error(404, { message: 'No such show.' });
  }
};
