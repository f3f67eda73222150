import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeConnection } from '$lib/testing/fake-socket';
import type { CaptionCue } from '$shared/captions';
import { FINAL_HOLD_MS, INTERIM_STALE_MS, LiveCaptions } from './live-captions.svelte';

const cue = (id: string, text: string, final: boolean, showId = 's1'): CaptionCue => ({ id, showId, text, final, language: 'en', startAt: 0, endAt: 0 });

function setup() {
  const c = fakeConnection();
  c.socket.open();
  const captions = new LiveCaptions('s1', c.client);
  const texts = () => captions.lines.map((l) => l.text);
  return { c, captions, texts };
}

describe('LiveCaptions', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('replaces an utterance’s interim text as it grows and keeps its final', () => {
    const { c, captions, texts } = setup();
    c.socket.notify('captions', { cue: cue('u1', 'this hand', false) });
    c.socket.notify('captions', { cue: cue('u1', 'this handbag is', false) });
    expect(texts()).toEqual(['this handbag is']);
    c.socket.notify('captions', { cue: cue('u1', 'this handbag is leather', true) });
    expect(captions.lines).toEqual([{ id: 'u1', text: 'this handbag is leather', final: true }]);
    expect(captions.heard).toBe(true);
  });

  it('keeps the last two lines', () => {
    const { c, texts } = setup();
    for (const [i, t] of ['one', 'two', 'three'].entries()) c.socket.notify('captions', { cue: cue(`u${i}`, t, true) });
    expect(texts()).toEqual(['two', 'three']);
    // A new utterance pushes the oldest line off.
    c.socket.notify('captions', { cue: cue('u3', 'four', false) });
    expect(texts()).toEqual(['three', 'four']);
  });

  it('lets a final line stay briefly, then clears the screen in silence', () => {
    const { c, texts } = setup();
    c.socket.notify('captions', { cue: cue('u1', 'first', true) });
    vi.advanceTimersByTime(FINAL_HOLD_MS - 1000);
    c.socket.notify('captions', { cue: cue('u2', 'second', false) });
    vi.advanceTimersByTime(1000);
    expect(texts()).toEqual(['second']);
    vi.advanceTimersByTime(INTERIM_STALE_MS);
    expect(texts()).toEqual([]);
  });

  it('ignores other shows’ cues and empty text', () => {
    const { c, captions, texts } = setup();
    c.socket.notify('captions', { cue: cue('u1', 'elsewhere', true, 's2') });
    c.socket.notify('captions', { cue: cue('u2', '  ', false) });
    expect(texts()).toEqual([]);
    expect(captions.heard).toBe(true);
  });

  it('shows the subtitle track’s active cues instead of the socket’s while on LL-HLS', () => {
    const { c, captions, texts } = setup();
    c.socket.notify('captions', { cue: cue('u1', 'live words', false) });
    captions.source = 'track';
    expect(texts()).toEqual([]);
    c.socket.notify('captions', { cue: cue('u1', 'live words again', false) });
    expect(texts()).toEqual([]);
    captions.showActive([{ id: 'a', text: 'one' }, { id: 'b', text: 'two' }, { id: 'c', text: 'three ' }]);
    expect(texts()).toEqual(['two', 'three']);
    captions.showActive([]);
    expect(texts()).toEqual([]);
    captions.source = 'socket';
    captions.showActive([{ id: 'a', text: 'ignored' }]);
    expect(texts()).toEqual([]);
  });

  it('stops listening once closed', () => {
    const { c, captions, texts } = setup();
    captions.close();
    c.socket.notify('captions', { cue: cue('u1', 'after', true) });
    expect(texts()).toEqual([]);
  });
});
