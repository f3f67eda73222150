import type express from 'express';
import type { Accounts } from '../auth/accounts.ts';
import type { Config } from '../config.ts';
import type { Repo } from '../db/repo.ts';
import type { LimitStore } from '../limits/shared-limits.ts';
import type { RoomRegistry } from '../rooms/room-registry.ts';
import type { Shows } from '../shows/shows.ts';
import { webrtcHttpRoutes } from './routes.ts';
import { PlayerRouters } from './player-routers.ts';
import { SessionRegistry } from './sessions.ts';
import { StreamKeys } from './stream-keys.ts';
import { WhepPlayback } from './whep.ts';
import { WhipIngest } from './whip.ts';

/**
 * WHIP and WHEP sessions one address may hold at once: an encoder or two, a few players (a household,
 * an office wall); a site embedding the player for many people has each of them open their own.
 */
const SESSIONS_PER_ADDRESS = 10;

/** Stream keys, WHIP ingest and WHEP playback, and the router that serves `/whip` and `/whep`. */
export function startWebrtcHttp(deps: { repo: Repo; shows: Shows; accounts: Accounts; rooms: RoomRegistry; limits: LimitStore; iceServers: Config['mediasoup']['iceServers'] }): {
  streamKeys: StreamKeys;
  /** Open WHIP and WHEP sessions (the studio asks whether an encoder streams). */
  sessions: SessionRegistry;
  router: express.Router;
  close: () => void;
} {
  const streamKeys = new StreamKeys(deps.repo);
  const sessions = new SessionRegistry({ perAddress: SESSIONS_PER_ADDRESS });
  const whip = new WhipIngest({ shows: deps.shows, accounts: deps.accounts, rooms: deps.rooms, sessions, keys: streamKeys });
  const whep = new WhepPlayback({ shows: deps.shows, rooms: deps.rooms, sessions, routers: new PlayerRouters() });
  const router = webrtcHttpRoutes({ whip, whep, streamKeys, sessions, limits: deps.limits, iceServers: deps.iceServers });
  return { streamKeys, sessions, router, close: () => sessions.closeAll() };
}
