import fs from 'node:fs';
import path from 'node:path';
import { error } from '@sveltejs/kit';
import { appContext } from '$lib/server/context';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params }) => {
  const { shows, hlsDir } = appContext();
  let show;
  try {
    show = await shows.get(params.id);
  } catch {
    error(404, { message: 'No such show.', code: 'not_found', reason: 'no_show' });
  }
  // An ended show with a recording becomes its replay.
  const recorded = show.status === 'ended' && fs.existsSync(path.join(hlsDir, show.id, 'master.m3u8'));
  return { show, replay: recorded ? { src: `/hls/${show.id}/vod/master.m3u8`, poster: `/hls/${show.id}/poster.jpg` } : null };
};
