import { afterEach, describe, expect, it, vi } from 'vitest';
import { advancePartLimit, awaitPart, awaitPlaylist, parseDirectives, reloadStatus, type Directives } from './blocking-reload.ts';
import { MediaPlaylist, type LiveState } from './media-playlist.ts';

/** 2 s segments of ten 0.2 s parts, keyframe every fifth part. */
function playlist(parts: number) {
  const pl = new MediaPlaylist({ targetDuration: 2, partTarget: 0.2 });
  pl.setInit(new Uint8Array([0]));
  const add = (n = 1) => {
    for (let i = 0; i < n; i++) {
      const seq = pl.liveState().nextPartSeq;
      pl.addPart({ bytes: new Uint8Array([seq]), duration: 0.2, independent: seq % 5 === 0 });
    }
  };
  add(parts);
  return { pl, add };
}

/** Reports whether a promise has settled after pending microtasks run. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setImmediate(r));
  return done;
}

const state = (s: Partial<LiveState> = {}): LiveState => ({
  ended: false,
  lastMsn: 5,
  lastPart: 3,
  lastCompleteMsn: 4,
  nextPartSeq: 54,
  partTarget: 0.2,
  targetDuration: 2,
  ...s
});
const d = (x: Partial<Directives>): Directives => ({ skip: false, ...x });

afterEach(() => {
  vi.useRealTimers();
});

describe('delivery directives', () => {
  it('parses msn, part and skip', () => {
    expect(parseDirectives({})).toEqual({ msn: undefined, part: undefined, skip: false });
    expect(parseDirectives({ _HLS_msn: '12', _HLS_part: '0' })).toEqual({ msn: 12, part: 0, skip: false });
    expect(parseDirectives({ _HLS_msn: '3', _HLS_skip: 'YES' })).toEqual({ msn: 3, part: undefined, skip: true });
    expect(parseDirectives({ _HLS_skip: 'v2' })).toMatchObject({ skip: true });
  });

  it('rejects malformed requests', () => {
    for (const q of [
      { _HLS_part: '1' }, // part without msn
      { _HLS_msn: '-1' },
      { _HLS_msn: '1.5' },
      { _HLS_msn: '' },
      { _HLS_msn: 'abc' },
      { _HLS_msn: ['1', '2'] },
      { _HLS_msn: '1', _HLS_part: '-2' },
      { _HLS_msn: '1', _HLS_part: '0x1' },
      { _HLS_msn: '99999999999999999999' },
      { _HLS_skip: 'NO' }
    ]) {
      expect(parseDirectives(q), JSON.stringify(q)).toHaveProperty('error');
    }
  });
});

describe('blocking reload rule', () => {
  it('answers at once when the segment or part already exists', () => {
    expect(reloadStatus(d({}), state())).toBe('ready');
    expect(reloadStatus(d({ msn: 4 }), state())).toBe('ready');
    expect(reloadStatus(d({ msn: 5, part: 3 }), state())).toBe('ready');
    expect(reloadStatus(d({ msn: 2, part: 9 }), state())).toBe('ready');
    expect(reloadStatus(d({ msn: 0 }), state())).toBe('ready'); // long gone: still the whole playlist
  });

  it('waits for what comes next', () => {
    expect(reloadStatus(d({ msn: 5 }), state())).toBe('wait'); // segment 5 is not complete
    expect(reloadStatus(d({ msn: 5, part: 4 }), state())).toBe('wait');
    expect(reloadStatus(d({ msn: 6, part: 0 }), state())).toBe('wait');
    expect(reloadStatus(d({ msn: 7 }), state())).toBe('wait');
    expect(reloadStatus(d({}), state({ lastMsn: -1, lastPart: -1, lastCompleteMsn: -1 }))).toBe('wait');
  });

  it('treats a part past the end of a finished segment as part 0 of the next', () => {
    const closed = state({ lastMsn: 5, lastPart: 9, lastCompleteMsn: 5 });
    expect(reloadStatus(d({ msn: 5, part: 10 }), closed)).toBe('wait');
    expect(reloadStatus(d({ msn: 5, part: 10 }), state({ lastMsn: 6, lastPart: 0 }))).toBe('ready');
  });

  it('refuses requests too far ahead: beyond last msn + 2 or the advance part limit', () => {
    expect(advancePartLimit(0.2)).toBe(15);
    expect(advancePartLimit(2)).toBe(3);
    expect(reloadStatus(d({ msn: 8 }), state())).toBe('too-far');
    expect(reloadStatus(d({ msn: 5, part: 3 + 15 }), state())).toBe('wait');
    expect(reloadStatus(d({ msn: 5, part: 3 + 16 }), state())).toBe('too-far');
    expect(reloadStatus(d({ msn: 6, part: 14 }), state())).toBe('wait');
    expect(reloadStatus(d({ msn: 6, part: 15 }), state())).toBe('too-far');
    expect(reloadStatus(d({ msn: 1 }), state({ lastMsn: -1, lastPart: -1, lastCompleteMsn: -1 }))).toBe('wait');
    expect(reloadStatus(d({ msn: 2 }), state({ lastMsn: -1, lastPart: -1, lastCompleteMsn: -1 }))).toBe('too-far');
  });

  it('ignores directives once the playlist has ended', () => {
    expect(reloadStatus(d({ msn: 40, part: 3 }), state({ ended: true }))).toBe('ready');
  });
});

describe('holding playlist requests', () => {
  it('answers an existing part immediately', async () => {
    const { pl } = playlist(14);
    await expect(awaitPlaylist(pl, { _HLS_msn: '1', _HLS_part: '3' })).resolves.toEqual({ kind: 'ready', skip: false });
  });

  it('holds a request for the next part and releases it when the part arrives', async () => {
    const { pl, add } = playlist(14); // last part: msn 1, part 3
    const pending = awaitPlaylist(pl, { _HLS_msn: '1', _HLS_part: '5', _HLS_skip: 'YES' });
    expect(await settled(pending)).toBe(false);
    add(); // part 4
    expect(await settled(pending)).toBe(false);
    add(); // part 5
    await expect(pending).resolves.toEqual({ kind: 'ready', skip: true });
    expect(pl.render()).toContain('URI="part-15.m4s"');
  });

  it('holds a segment request until the segment is complete', async () => {
    const { pl, add } = playlist(14);
    const pending = awaitPlaylist(pl, { _HLS_msn: '1' });
    add(6); // parts up to 19: segment 1 holds its ten parts but stays open
    expect(await settled(pending)).toBe(false);
    add(1); // keyframe part 20 starts segment 2, closing segment 1
    await expect(pending).resolves.toMatchObject({ kind: 'ready' });
  });

  it('answers 400 at once for malformed or too-far requests', async () => {
    const { pl } = playlist(14);
    await expect(awaitPlaylist(pl, { _HLS_part: '2' })).resolves.toMatchObject({ kind: 'error', status: 400 });
    await expect(awaitPlaylist(pl, { _HLS_msn: '4' })).resolves.toMatchObject({ kind: 'error', status: 400 });
    await expect(awaitPlaylist(pl, { _HLS_msn: '1', _HLS_part: '30' })).resolves.toMatchObject({ kind: 'error', status: 400 });
  });

  it('gives up with 503 after three target durations', async () => {
    vi.useFakeTimers();
    const { pl } = playlist(14);
    const pending = awaitPlaylist(pl, { _HLS_msn: '2', _HLS_part: '0' });
    await vi.advanceTimersByTimeAsync(5999);
    let result: unknown;
    void pending.then((r) => (result = r));
    await vi.advanceTimersByTimeAsync(0);
    expect(result).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(result).toMatchObject({ kind: 'error', status: 503 });
  });

  it('releases a held request when the stream ends', async () => {
    const { pl } = playlist(14);
    const pending = awaitPlaylist(pl, { _HLS_msn: '2', _HLS_part: '0' }, { holdMs: 10_000 });
    pl.end();
    await expect(pending).resolves.toEqual({ kind: 'ready', skip: false });
  });

  it('stops waiting when the client goes away', async () => {
    const { pl } = playlist(14);
    const ac = new AbortController();
    const pending = awaitPlaylist(pl, { _HLS_msn: '2' }, { signal: ac.signal });
    ac.abort();
    await expect(pending).resolves.toEqual({ kind: 'aborted' });
  });
});

describe('holding the preload-hinted part', () => {
  it('serves existing parts and holds the hinted one until it is complete', async () => {
    const { pl, add } = playlist(3);
    await expect(awaitPart(pl, 'part-2.m4s')).resolves.toEqual({ kind: 'ready', bytes: new Uint8Array([2]) });
    const pending = awaitPart(pl, 'part-3.m4s');
    expect(await settled(pending)).toBe(false);
    add();
    await expect(pending).resolves.toEqual({ kind: 'ready', bytes: new Uint8Array([3]) });
  });

  it('answers 404 for anything not held and not hinted', async () => {
    const { pl } = playlist(3);
    for (const uri of ['part-4.m4s', 'seg-0.m4s', 'init-1.mp4', 'index.m3u8']) {
      await expect(awaitPart(pl, uri), uri).resolves.toMatchObject({ kind: 'error', status: 404 });
    }
    await expect(awaitPart(pl, 'init-0.mp4')).resolves.toMatchObject({ kind: 'ready' });
  });

  it('gives up on the hinted part when the stream ends or stalls', async () => {
    const { pl } = playlist(3);
    const ended = awaitPart(pl, 'part-3.m4s');
    pl.end();
    await expect(ended).resolves.toMatchObject({ kind: 'error', status: 404 });

    const stalled = playlist(3).pl;
    await expect(awaitPart(stalled, 'part-3.m4s', { holdMs: 20 })).resolves.toMatchObject({ kind: 'error', status: 503 });
  });
});
