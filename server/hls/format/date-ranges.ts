/**
 * EXT-X-DATERANGE (RFC 8216bis §4.4.5.1): timed metadata carried in the media
 * playlists. Every range here ends where the next of its class starts
 * (END-ON-NEXT), so at any moment exactly one range per class is in effect.
 */
import { attributes, quoted } from './playlist-text.ts';

export interface DateRange {
  /** Unique within the stream; a range is never re-announced with other attributes. */
  readonly id: string;
  readonly class: string;
  /** Ms since the epoch, on the clock of EXT-X-PROGRAM-DATE-TIME. */
  readonly startDate: number;
  /** Client-defined `X-` attributes: numbers are written as decimals, strings quoted. */
  readonly attributes: Readonly<Record<string, string | number>>;
}

const CLIENT_ATTRIBUTE = /^X-[A-Z0-9-]+$/;

export function dateRangeLine(r: DateRange): string {
  const client = Object.entries(r.attributes).map(([name, value]) => {
    if (!CLIENT_ATTRIBUTE.test(name)) throw new Error(`bad client attribute name ${name}`);
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`bad value for ${name}`);
    return [name, typeof value === 'number' ? String(value) : quoted(value)] as const;
  });
  return `#EXT-X-DATERANGE:${attributes([
    ['ID', quoted(r.id)],
    ['CLASS', quoted(r.class)],
    ['START-DATE', quoted(new Date(r.startDate).toISOString())],
    ['END-ON-NEXT', 'YES'],
    ...client
  ])}`;
}

/**
 * The ranges that apply to media from `from` (ms) on: those starting later,
 * and the latest of each class that started before, which is still in effect.
 * Ranges wholly before `from` leave the playlist with the segments they covered.
 */
export function inEffect(ranges: readonly DateRange[], from: number): DateRange[] {
  const sorted = [...ranges].sort((a, b) => a.startDate - b.startDate);
  const current = new Map<string, DateRange>();
  for (const r of sorted) if (r.startDate < from) current.set(r.class, r);
  const kept = new Set(current.values());
  return sorted.filter((r) => r.startDate >= from || kept.has(r));
}

/** A stream's ranges, newest `limit` kept: ranges older than the live window no longer matter. */
export class DateRangeLog {
  readonly #limit: number;
  #ranges: DateRange[] = [];

  constructor(limit = 100) {
    this.#limit = limit;
  }

  add(range: DateRange): void {
    if (this.#ranges.some((r) => r.id === range.id)) throw new Error(`date range ${range.id} already announced`);
    dateRangeLine(range); // rejects what could not be written, before it is stored
    this.#ranges.push(range);
    if (this.#ranges.length > this.#limit) this.#ranges.splice(0, this.#ranges.length - this.#limit);
  }

  list(): readonly DateRange[] {
    return this.#ranges;
  }
}
