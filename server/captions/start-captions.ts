import type { Repo } from '../db/repo.ts';
import type { LimitStore } from '../limits/shared-limits.ts';
import type { RoomRegistry } from '../rooms/room-registry.ts';
import type { Shows } from '../shows/shows.ts';
import type { CaptionSettings } from '#shared/captions.ts';
import { CaptionService } from './caption-service.ts';
import { Captions, type ReplayClocks } from './captions.ts';
import type { SpeechToText } from './engines/speech-to-text.ts';

/**
 * The Captions domain, and (with a speech engine and room for at least one stream) the service that
 * captions this node's live shows. Without an engine, settings and transcripts still answer.
 */
export function startCaptions(deps: {
  repo: Repo;
  shows: Shows;
  limits: LimitStore;
  rooms: RoomRegistry;
  engine: SpeechToText | null;
  ffmpegPath: string;
  maxStreams: number;
  /** Where moments of a show fall in its replay (from its recording), for the transcript's offsets. */
  replayClock?: ReplayClocks;
  /** Told the settings of a show captioned here when they change (see CaptionServiceOptions.onSettings). */
  onSettings?: (showId: string, settings: CaptionSettings) => void;
}): { captions: Captions; service: CaptionService | null } {
  const { engine } = deps;
  const captions = new Captions({ repo: deps.repo, shows: deps.shows, offer: engine, limits: deps.limits, replayClock: deps.replayClock });
  const service =
    engine && deps.maxStreams > 0
      ? new CaptionService({ registry: deps.rooms, captions, engine, ffmpegPath: deps.ffmpegPath, maxStreams: deps.maxStreams, onSettings: deps.onSettings })
      : null;
  return { captions, service };
}
