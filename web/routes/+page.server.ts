import { appContext } from '$lib/server/context';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = () => {
  const { shows } = appContext();
  return { live: shows.list('live'), upcoming: shows.list('scheduled'), replays: shows.list('ended').slice(0, 12) };
};
