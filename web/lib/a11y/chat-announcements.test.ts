import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChatAnnouncements } from './chat-announcements';
import { LiveAnnouncer } from './live-announcer.svelte';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** Everything the announcer was given, in order, with the language when one was named. */
function setup() {
  const said: string[] = [];
  const announcer = new LiveAnnouncer();
  const say = announcer.say.bind(announcer);
  announcer.say = (text, politeness, lang) => {
    said.push(lang ? `${lang}:${text}` : text);
    say(text, politeness, lang);
  };
  const chat = new ChatAnnouncements(announcer, (n) => `${n} new messages`);
  return { chat, said, announcer };
}

describe('chat announcements', () => {
  it('says a message at once, and the next one when a quiet spell has passed', () => {
    const { chat, said, announcer } = setup();
    chat.say('Ann: hello');
    expect(said).toEqual(['Ann: hello']);
    expect(announcer.polite.map((a) => a.text)).toEqual(['Ann: hello']);
    vi.advanceTimersByTime(3000);
    chat.say('Ben: hi', 'es');
    expect(said).toEqual(['Ann: hello', 'es:Ben: hi']);
  });

  it('sums up a burst instead of reading every message of it', () => {
    const { chat, said } = setup();
    for (let i = 1; i <= 20; i++) chat.say(`m${i}`);
    expect(said).toEqual(['m1']);
    vi.advanceTimersByTime(2999);
    expect(said).toEqual(['m1']);
    vi.advanceTimersByTime(1);
    expect(said).toEqual(['m1', '19 new messages']);
    // The summary starts a quiet spell of its own.
    chat.say('m21');
    chat.say('m22');
    vi.advanceTimersByTime(3000);
    expect(said).toEqual(['m1', '19 new messages', '2 new messages']);
    vi.advanceTimersByTime(3000);
    chat.say('m23');
    expect(said.at(-1)).toBe('m23');
  });

  it('says a lone message that came during the quiet spell as itself, in its language', () => {
    const { chat, said } = setup();
    chat.say('Ann: hello');
    chat.say('Ben: hola', 'es');
    vi.advanceTimersByTime(3000);
    expect(said).toEqual(['Ann: hello', 'es:Ben: hola']);
    // And that one is followed by a quiet spell too.
    chat.say('Cy: hey');
    expect(said).toHaveLength(2);
    vi.advanceTimersByTime(3000);
    expect(said.at(-1)).toBe('Cy: hey');
  });

  it('says nothing held once destroyed', () => {
    const { chat, said } = setup();
    chat.say('a');
    chat.say('b');
    chat.destroy();
    expect(vi.getTimerCount()).toBe(1); // only the announcer's own removal of "a"
    vi.advanceTimersByTime(10_000);
    expect(said).toEqual(['a']);
  });
});
