import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveAnnouncer } from './live-announcer.svelte';

describe('LiveAnnouncer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('keeps polite and assertive announcements apart, each as its own entry', () => {
    const a = new LiveAnnouncer();
    a.say('Ann bid $10.00');
    a.say('10 seconds left', 'assertive');
    a.say('Ben bid $11.00');
    expect(a.polite.map((x) => x.text)).toEqual(['Ann bid $10.00', 'Ben bid $11.00']);
    expect(a.assertive.map((x) => x.text)).toEqual(['10 seconds left']);
    expect(new Set([...a.polite, ...a.assertive].map((x) => x.id)).size).toBe(3);
  });

  it('says the same words again as a new entry (a screen reader skips an unchanged region)', () => {
    const a = new LiveAnnouncer();
    a.say('3', 'assertive');
    a.say('3', 'assertive');
    const [first, second] = a.assertive;
    expect(second!.id).not.toBe(first!.id);
  });

  it('removes an announcement once it had time to be spoken', () => {
    const a = new LiveAnnouncer({ keepMs: 5000 });
    a.say('Ann: hello');
    vi.advanceTimersByTime(4000);
    a.say('Ben: hi');
    vi.advanceTimersByTime(1000);
    expect(a.polite.map((x) => x.text)).toEqual(['Ben: hi']);
    vi.advanceTimersByTime(4000);
    expect(a.polite).toEqual([]);
  });

  it('keeps only the latest few of a burst, per politeness', () => {
    const a = new LiveAnnouncer({ max: 2 });
    a.say('sold', 'assertive');
    for (const n of [1, 2, 3, 4]) a.say(`message ${n}`);
    expect(a.polite.map((x) => x.text)).toEqual(['message 3', 'message 4']);
    expect(a.assertive.map((x) => x.text)).toEqual(['sold']);
  });

  it('carries the language of a text that is not in the page’s', () => {
    const a = new LiveAnnouncer();
    a.say('Ann: hola', 'polite', 'es');
    a.say('Ben bid $11.00');
    expect(a.polite.map((x) => x.lang)).toEqual(['es', undefined]);
  });

  it('ignores empty text and forgets everything on destroy', () => {
    const a = new LiveAnnouncer();
    a.say('  ');
    expect(a.polite).toEqual([]);
    a.say('hello');
    a.destroy();
    expect(a.polite).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
