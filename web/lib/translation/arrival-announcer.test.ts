import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ArrivalAnnouncer } from './arrival-announcer';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** Says "id:text" where text is the translation once one is known. */
function setup() {
  const translations = new Map<number, string>();
  const said: string[] = [];
  const announcer = new ArrivalAnnouncer<{ id: number; text: string }>((m) => said.push(`${m.id}:${translations.get(m.id) ?? m.text}`), 1000);
  return { announcer, translations, said };
}

describe('announcing chat arrivals', () => {
  it('says a message at once when nothing translates it', () => {
    const { announcer, said } = setup();
    announcer.arrive({ id: 1, text: 'Hello' }, false);
    expect(said).toEqual(['1:Hello']);
  });

  it('says a translated message once its translation is in, not the original before it', () => {
    const { announcer, translations, said } = setup();
    announcer.arrive({ id: 1, text: 'Hello' }, true);
    announcer.arrive({ id: 2, text: 'Nice bag' }, true);
    expect(said).toEqual([]);
    translations.set(1, 'Hola');
    announcer.answered([1, 2]); // 2 withheld: said in the original
    expect(said).toEqual(['1:Hola', '2:Nice bag']);
    vi.advanceTimersByTime(2000);
    expect(said).toHaveLength(2);
  });

  it('says the original after a moment when no answer comes, and nothing after it is destroyed', () => {
    const { announcer, said } = setup();
    announcer.arrive({ id: 1, text: 'Hello' }, true);
    vi.advanceTimersByTime(999);
    expect(said).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(said).toEqual(['1:Hello']);
    announcer.answered([1]);
    announcer.arrive({ id: 2, text: 'Bye' }, true);
    announcer.destroy();
    vi.advanceTimersByTime(2000);
    expect(said).toEqual(['1:Hello']);
  });
});
