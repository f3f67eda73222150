import { describe, expect, it } from 'vitest';
import { FirstVisitTour, type TourStorage } from './first-visit-tour.svelte';

function memoryStorage(initial: Record<string, string> = {}): TourStorage & { data: Record<string, string> } {
  const data = { ...initial };
  return { data, getItem: (k) => data[k] ?? null, setItem: (k, v) => void (data[k] = v) };
}

describe('FirstVisitTour', () => {
  it('shows each place’s line on a first visit and remembers a dismissal on this device', () => {
    const storage = memoryStorage();
    const tour = new FirstVisitTour(storage);
    expect(tour.shows('home')).toBe(true);
    expect(tour.shows('room')).toBe(true);
    tour.dismiss('home');
    expect(tour.shows('home')).toBe(false);
    expect(tour.shows('room')).toBe(true);
    // The next page load on the same device.
    const again = new FirstVisitTour(storage);
    expect(again.shows('home')).toBe(false);
    expect(again.shows('room')).toBe(true);
  });

  it('shows nothing without storage (server-side rendering), so a returning visitor sees no flash', () => {
    expect(new FirstVisitTour(null).shows('home')).toBe(false);
  });

  it('treats unreadable saved state as a first visit', () => {
    expect(new FirstVisitTour(memoryStorage({ 'hawker.tour.seen': '{' })).shows('room')).toBe(true);
    expect(new FirstVisitTour(memoryStorage({ 'hawker.tour.seen': '{"a":1}' })).shows('room')).toBe(true);
  });

  it('still hides a dismissed line when storage refuses the write', () => {
    const tour = new FirstVisitTour({ getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); } });
    tour.dismiss('room');
    expect(tour.shows('room')).toBe(false);
  });
});
