import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TranscriptDto } from '$shared/captions';
import { markMatches, ReplayTranscript, SEARCH_DEBOUNCE_MS } from './replay-transcript.svelte';

const reply = (...texts: string[]): TranscriptDto => ({
  cues: texts.map((text, i) => ({ id: `c${i}`, text, startAt: 1000 * i, endAt: 1000 * i + 900, offsetMs: 1000 * i })),
  truncated: false
});

describe('ReplayTranscript', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('searches once typing pauses', async () => {
    const asked: string[] = [];
    const transcript = new ReplayTranscript(async (q) => (asked.push(q), reply(`a ${q}`)));
    await transcript.refresh();
    for (const q of ['h', 'ha', 'hand', 'handbag ']) {
      transcript.search(q);
      vi.advanceTimersByTime(SEARCH_DEBOUNCE_MS - 1);
      // What is listed still answers the whole transcript, whatever the box says meanwhile.
      expect(transcript.answered).toBe('');
    }
    expect(asked).toEqual(['']);
    await vi.advanceTimersByTimeAsync(1);
    expect(asked).toEqual(['', 'handbag']);
    expect(transcript.cues.map((c) => c.text)).toEqual(['a handbag']);
    expect(transcript.query).toBe('handbag ');
    expect(transcript.answered).toBe('handbag');
  });

  it('keeps the transcript offered when a search finds nothing and the box is cleared', async () => {
    const transcript = new ReplayTranscript(async (q) => (q === 'zebra' ? reply() : reply('the handbag')));
    expect(transcript.hasTranscript).toBe(false);
    await transcript.refresh();
    expect(transcript.hasTranscript).toBe(true);
    transcript.search('zebra');
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    expect(transcript.cues).toEqual([]);
    transcript.search('');
    expect(transcript.hasTranscript).toBe(true);
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    expect(transcript.cues.map((c) => c.text)).toEqual(['the handbag']);
  });

  it('has no transcript to offer for a show that was never captioned, or whose transcript could not be read', async () => {
    const silent = new ReplayTranscript(async () => reply());
    await silent.refresh();
    expect(silent.hasTranscript).toBe(false);
    const failed = new ReplayTranscript(() => Promise.reject(new Error('offline')));
    await failed.refresh();
    expect(failed.hasTranscript).toBe(false);
    expect(failed.error).toBeInstanceOf(Error);
  });

  it('shows only the latest search’s answer when replies cross', async () => {
    const pending = new Map<string, (r: TranscriptDto) => void>();
    const transcript = new ReplayTranscript((q) => new Promise((resolve) => pending.set(q, resolve)));
    transcript.search('lamp');
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    transcript.search('handbag');
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    pending.get('handbag')!(reply('the handbag'));
    pending.get('lamp')!(reply('the lamp'));
    await vi.advanceTimersByTimeAsync(0);
    expect(transcript.cues.map((c) => c.text)).toEqual(['the handbag']);
    expect(transcript.answered).toBe('handbag');
  });

  it('keeps the last answer and reports a failed search', async () => {
    let fail = false;
    const transcript = new ReplayTranscript(async () => {
      if (fail) throw new Error('offline');
      return reply('kept');
    });
    await transcript.refresh();
    fail = true;
    await transcript.refresh();
    expect(transcript.cues.map((c) => c.text)).toEqual(['kept']);
    expect(transcript.error).toBeInstanceOf(Error);
  });
});

describe('markMatches', () => {
  it('marks every match of the search whatever its case, special characters included', () => {
    expect(markMatches('Handbag, the handbag!', 'handbag')).toEqual([
      { text: 'Handbag', match: true },
      { text: ', the ', match: false },
      { text: 'handbag', match: true },
      { text: '!', match: false }
    ]);
    expect(markMatches('size (m)', '(m)')).toEqual([{ text: 'size ', match: false }, { text: '(m)', match: true }]);
    expect(markMatches('plain', ' ')).toEqual([{ text: 'plain', match: false }]);
  });
});
