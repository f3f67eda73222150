import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OverlaySync } from './overlay-sync.ts';

type S = { rev: number; label: string };
const s = (rev: number): S => ({ rev, label: `state ${rev}` });

describe('overlay changes timed to the viewer’s video', () => {
  let shown: number[];
  let sync: OverlaySync<S>;
  beforeEach(() => {
    vi.useFakeTimers();
    shown = [];
    sync = new OverlaySync<S>((x) => shown.push(x.rev));
  });
  afterEach(() => {
    sync.close();
    vi.useRealTimers();
  });

  it('shows changes at once while the video is live (WebRTC)', () => {
    sync.offer(s(1));
    sync.offer(s(2));
    expect(shown).toEqual([1, 2]);
  });

  it('over LL-HLS, holds each change until the stream’s cue for it plays', () => {
    sync.followStream(1.5);
    sync.reset(s(3));
    sync.offer(s(4));
    sync.offer(s(5));
    expect(shown).toEqual([3]);
    sync.reached(4);
    expect(shown).toEqual([3, 4]);
    vi.advanceTimersByTime(1000);
    sync.reached(5);
    expect(shown).toEqual([3, 4, 5]);
  });

  it('shows at once a change whose cue played before it arrived, and never goes back to an older state', () => {
    sync.followStream(1);
    sync.reached(8);
    sync.offer(s(8));
    sync.offer(s(6)); // late, behind what is shown
    expect(shown).toEqual([8]);
  });

  it('when cues pass several held changes at once, shows only the newest', () => {
    sync.followStream(1);
    for (const rev of [1, 2, 3]) sync.offer(s(rev));
    sync.reached(2);
    sync.reached(9);
    expect(shown).toEqual([2, 3]);
  });

  it('lets a change through after the measured lag plus a grace period if its cue never comes', () => {
    sync.followStream(1.5);
    sync.offer(s(1));
    vi.advanceTimersByTime(3400);
    expect(shown).toEqual([]);
    vi.advanceTimersByTime(200);
    expect(shown).toEqual([1]);
  });

  it('once the player holds the mark, waits for the video however long it stalls', () => {
    sync.followStream(1);
    sync.offer(s(1));
    sync.marked(1);
    vi.advanceTimersByTime(10_000); // far past lag + grace: the player is stalled before the mark
    expect(shown).toEqual([]);
    sync.reached(1);
    expect(shown).toEqual([1]);
    sync.marked(2);
    sync.offer(s(2)); // the mark came first
    vi.advanceTimersByTime(29_000);
    expect(shown).toEqual([1]);
    vi.advanceTimersByTime(2000); // a player stuck for good does not hold the change forever
    expect(shown).toEqual([1, 2]);
  });

  it('assumes a lag until the player has measured one', () => {
    sync.followStream(null);
    sync.offer(s(1));
    vi.advanceTimersByTime(4900);
    expect(shown).toEqual([]);
    vi.advanceTimersByTime(200);
    expect(shown).toEqual([1]);
  });

  it('a joining snapshot shows at once and supersedes held changes', () => {
    sync.followStream(2);
    sync.offer(s(1));
    sync.reset(s(2));
    expect(shown).toEqual([2]);
    vi.advanceTimersByTime(10_000);
    expect(shown).toEqual([2]);
  });

  it('switching to live video releases what was held', () => {
    sync.followStream(2);
    sync.offer(s(1));
    sync.offer(s(2));
    sync.followLive();
    expect(shown).toEqual([2]);
    sync.offer(s(3));
    expect(shown).toEqual([2, 3]);
  });
});
