import type { Scores } from './protocol';

export const DEFAULT_THRESHOLD = 0.7;

/**
 * One number in [0, 1] for "this frame should not go out": Porn + Hentai + half of Sexy.
 * Sexy also covers swimwear and lingerie, which sellers legitimately show, so on its own
 * it can reach at most 0.5 and never trips the default threshold; it only tips a frame
 * over when the explicit classes are already high.
 */
export function unsafeScore(s: Scores): number {
  return Math.min(1, s.Porn + s.Hentai + 0.5 * s.Sexy);
}
