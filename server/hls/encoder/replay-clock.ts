/**
 * Where a moment of the show falls in its replay. The replay plays the recorded segments one after
 * another, so a gap in the recording (a host reconnecting, a media worker lost) takes no replay time:
 * a moment is placed by the segment that recorded it, after the durations of those before it.
 */
import path from 'node:path';
import { readIndex } from './recorder.ts';

/** What the replay needs of a recorded segment. */
export interface ReplaySegment {
  duration: number;
  programDateTime: number;
}

/** Milliseconds into the replay of the moment `at` (epoch ms); a moment in a gap goes to the segment after it. */
export type ReplayClock = (at: number) => number;

/** The clock of a replay made of `segments`, in recording order. */
export function replayClock(segments: readonly ReplaySegment[]): ReplayClock {
  return (at) => {
    let before = 0;
    for (const s of segments) {
      const ms = s.duration * 1000;
      if (at < s.programDateTime + ms) return before + Math.max(0, at - s.programDateTime);
      before += ms;
    }
    return before;
  };
}

/** The clock of the recording's `rendition` (every rendition shares its segments' timing), or null before it has any. */
export async function readReplayClock(recordingDir: string, rendition: string): Promise<ReplayClock | null> {
  const entries = await readIndex(path.join(recordingDir, rendition));
  return entries.length > 0 ? replayClock(entries) : null;
}
