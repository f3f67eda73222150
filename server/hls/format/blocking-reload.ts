/**
 * Blocking playlist reload (RFC 8216bis §6.2.5.2) and held requests for the
 * preload-hinted part (§6.2.6): when to answer, when to wait for the
 * playlist to grow, and when to refuse. No HTTP here: callers map outcomes
 * to responses.
 */
import type { LiveState } from './media-playlist.ts';
import { parseResourceUri } from './uris.ts';

/** Delivery directives parsed from a playlist request's query string. */
export interface Directives {
  msn?: number;
  part?: number;
  /** `_HLS_skip=YES` or `v2`: answer with a delta update. */
  skip: boolean;
}

/** What the waiting functions need from a playlist; MediaPlaylist provides it. */
export interface LiveSource {
  liveState(): LiveState;
  subscribe(listener: () => void): () => void;
  resource(uri: string): Uint8Array | undefined;
}

export type ReloadOutcome =
  | { kind: 'ready'; skip: boolean }
  | { kind: 'error'; status: 400 | 503; reason: string }
  | { kind: 'aborted' };

export type PartOutcome =
  | { kind: 'ready'; bytes: Uint8Array }
  | { kind: 'error'; status: 404 | 503; reason: string }
  | { kind: 'aborted' };

export interface HoldOptions {
  /** Longest hold in ms; default three target durations, after which the answer is 503 (§6.2.5.2). */
  holdMs?: number;
  /** Abort when the client goes away, releasing the listener and timer. */
  signal?: AbortSignal;
}

const DECIMAL_INTEGER = /^\d{1,15}$/;

/** Parses `_HLS_msn`, `_HLS_part` and `_HLS_skip`; values arrive as an HTTP framework hands them over. */
export function parseDirectives(query: Readonly<Record<string, unknown>>): Directives | { error: string } {
  const int = (name: string): number | undefined | { error: string } => {
    const v = query[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || !DECIMAL_INTEGER.test(v)) return { error: `${name} must be one non-negative decimal integer` };
    return Number(v);
  };
  const msn = int('_HLS_msn');
  const part = int('_HLS_part');
  if (typeof msn === 'object') return msn;
  if (typeof part === 'object') return part;
  if (part !== undefined && msn === undefined) return { error: '_HLS_part requires _HLS_msn' };
  const skipValue = query['_HLS_skip'];
  if (skipValue !== undefined && skipValue !== 'YES' && skipValue !== 'v2') return { error: '_HLS_skip must be YES or v2' };
  return { msn, part, skip: skipValue !== undefined };
}

/** §6.2.5.2: how many parts ahead of the last one a request may be before it is refused. */
export function advancePartLimit(partTarget: number): number {
  return partTarget < 1 ? 3 / partTarget : 3;
}

/**
 * Whether a playlist with `state` can answer `d` now, must be waited on, or
 * the request is too far ahead of the live edge to be legitimate.
 */
export function reloadStatus(d: Directives, s: LiveState): 'ready' | 'wait' | 'too-far' {
  if (s.ended) return 'ready'; // directives are ignored once EXT-X-ENDLIST is present
  if (d.msn === undefined) return s.lastMsn >= 0 ? 'ready' : 'wait'; // nothing to show before the first part
  if (d.msn > s.lastMsn + 2) return 'too-far';
  if (d.part === undefined) return s.lastCompleteMsn >= d.msn ? 'ready' : 'wait';
  // Lower bound on parts between the last one and the requested one: each skipped segment holds at least one.
  const ahead = d.msn === s.lastMsn ? d.part - s.lastPart : d.msn > s.lastMsn ? d.msn - s.lastMsn + d.part : 0;
  if (ahead > advancePartLimit(s.partTarget)) return 'too-far';
  // A part index past the end of a finished segment means part 0 of the next one (§6.2.5.2),
  // so any part in a later segment satisfies the request.
  return s.lastMsn > d.msn || (s.lastMsn === d.msn && s.lastPart >= d.part) ? 'ready' : 'wait';
}

/**
 * Resolves when the playlist request described by `query` can be answered:
 * render the playlist (with `skip`) on 'ready'; send the status on 'error'.
 */
export function awaitPlaylist(source: LiveSource, query: Readonly<Record<string, unknown>>, opts: HoldOptions = {}): Promise<ReloadOutcome> {
  const d = parseDirectives(query);
  if ('error' in d) return Promise.resolve({ kind: 'error', status: 400, reason: d.error });
  return hold<ReloadOutcome>(
    source,
    () => {
      const status = reloadStatus(d, source.liveState());
      if (status === 'ready') return { kind: 'ready', skip: d.skip };
      if (status === 'too-far') return { kind: 'error', status: 400, reason: 'request is too far beyond the live edge' };
      return null;
    },
    { kind: 'error', status: 503, reason: 'playlist did not reach the requested part in time' },
    opts
  );
}

/**
 * Resolves with a resource's bytes. The part named by EXT-X-PRELOAD-HINT is
 * held until it is complete (§6.2.6: no bytes of a part before all of them);
 * anything else not held is 404 at once.
 */
export function awaitPart(source: LiveSource, uri: string, opts: HoldOptions = {}): Promise<PartOutcome> {
  const ref = parseResourceUri(uri);
  return hold<PartOutcome>(
    source,
    () => {
      const bytes = source.resource(uri);
      if (bytes) return { kind: 'ready', bytes };
      const s = source.liveState();
      if (ref?.kind === 'part' && ref.seq === s.nextPartSeq && !s.ended) return null;
      return { kind: 'error', status: 404, reason: 'not found' };
    },
    { kind: 'error', status: 503, reason: 'hinted part did not arrive in time' },
    opts
  );
}

const ABORTED = { kind: 'aborted' } as const;

/** Evaluates `check` now and after every playlist change until it answers, the hold expires, or the signal aborts. */
function hold<T>(source: LiveSource, check: () => T | null, onTimeout: T, opts: HoldOptions): Promise<T | typeof ABORTED> {
  return new Promise((resolve) => {
    const first = check();
    if (first) return resolve(first);
    if (opts.signal?.aborted) return resolve(ABORTED);
    const finish = (value: T | typeof ABORTED) => {
      unsubscribe();
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve(value);
    };
    const onAbort = () => finish(ABORTED);
    const unsubscribe = source.subscribe(() => {
      const v = check();
      if (v) finish(v);
    });
    const timer = setTimeout(() => finish(onTimeout), opts.holdMs ?? 3 * source.liveState().targetDuration * 1000);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
