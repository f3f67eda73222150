import type { PublicUser } from '#shared/auth.ts';
import type { RequestHandlers } from '#shared/protocol.ts';
import type { Overlay } from './overlay.ts';

/** The overlay over ws: its current state for (re)joining viewers, and poll votes (the tally reaches the room as an event). */
export function overlayHandlers(user: PublicUser | null, overlay: Overlay): Pick<RequestHandlers, 'overlaySnapshot' | 'vote'> {
  return {
    overlaySnapshot: ({ showId }) => overlay.state(showId),
    vote: async ({ showId, pollId, option }) => ({ votes: await overlay.vote(user, showId, pollId, option) })
  };
}
