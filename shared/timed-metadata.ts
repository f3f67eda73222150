/**
 * The stream's timed metadata (EXT-X-DATERANGE in the LL-HLS playlists): each
 * change of a show's overlay is a date range starting at the moment the host
 * made it, so a player reveals the change when its video reaches that moment.
 * Players surface the attributes as metadata cues keyed by attribute name.
 */

/** CLASS of overlay date ranges; each ends where the next one starts (END-ON-NEXT). */
export const OVERLAY_DATERANGE_CLASS = 'com.hawker.overlay';
/** Carries the overlay revision (OverlayState.rev) the range starts. */
export const OVERLAY_REV_ATTRIBUTE = 'X-COM-HAWKER-REV';
/** What changed: notice, pin, drop, coupon or poll. */
export const OVERLAY_KIND_ATTRIBUTE = 'X-COM-HAWKER-KIND';

export function overlayDateRangeId(rev: number): string {
  return `overlay-${rev}`;
}

/** The overlay revision a metadata cue announces, or null if the cue is not one of ours. */
export function overlayRevOfCue(key: string, data: unknown): number | null {
  if (key !== OVERLAY_REV_ATTRIBUTE) return null;
  const rev = Number(typeof data === 'string' || typeof data === 'number' ? data : NaN);
  return Number.isSafeInteger(rev) && rev > 0 ? rev : null;
}
