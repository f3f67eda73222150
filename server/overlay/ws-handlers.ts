import type { Overlay } from '../overlay/overlay.ts';
import type { PublicUser } from '#shared/auth.ts';
import type { Handlers } from './connection.ts';

export function overlayHandlers(user: PublicUser | null, overlay: Overlay, onVote: (showId: string, pollId: string, votes: number[]) => void): Pick<Handlers, 'overlaySnapshot' | 'vote'> {
  return {
    overlaySnapshot: ({ showId }) => overlay.state(showId),
    vote: ({ showId, pollId, option }) => {
      const votes = overlay.vote(user, showId, pollId, option);
      onVote(showId, pollId, votes);
      return { votes };
    }
  };
}
