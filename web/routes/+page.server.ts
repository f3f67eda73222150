import { appContext } from '$lib/server/context';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
  const { shows } = appContext();
  const [live, upcoming, ended] = await Promise.all([shows.list('live'), shows.list('scheduled'), shows.list('ended')]);
  return { live, upcoming, replays: ended.slice(0, 12) };
};
