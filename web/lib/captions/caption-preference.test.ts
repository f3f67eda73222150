import { describe, expect, it } from 'vitest';
import { CaptionPreference, type CaptionStorage } from './caption-preference.svelte';

function memoryStorage(initial: Record<string, string> = {}): CaptionStorage & { data: Record<string, string> } {
  const data = { ...initial };
  return { data, getItem: (k) => data[k] ?? null, setItem: (k, v) => void (data[k] = v) };
}

describe('CaptionPreference', () => {
  it('starts off at the middle size and remembers the viewer’s choice on this device', () => {
    const storage = memoryStorage();
    const pref = new CaptionPreference(storage);
    expect([pref.on, pref.size]).toEqual([false, 'm']);
    pref.toggle();
    pref.setSize('l');
    const again = new CaptionPreference(storage);
    expect([again.on, again.size]).toEqual([true, 'l']);
    again.toggle();
    expect(new CaptionPreference(storage).on).toBe(false);
  });

  it('falls back to the defaults for unreadable or foreign saved state', () => {
    for (const saved of ['{', '"on"', '{"on":"yes","size":"xl"}', 'null']) {
      const pref = new CaptionPreference(memoryStorage({ 'hawker.captions': saved }));
      expect([pref.on, pref.size]).toEqual([false, 'm']);
    }
  });

  it('keeps the choice for the page view when storage is blocked', () => {
    const blocked: CaptionStorage = { getItem: () => { throw new Error('SecurityError'); }, setItem: () => { throw new Error('QuotaExceededError'); } };
    const pref = new CaptionPreference(blocked);
    pref.toggle();
    pref.setSize('s');
    expect([pref.on, pref.size]).toEqual([true, 's']);
    expect(new CaptionPreference(null).on).toBe(false);
  });
});
