import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readReplayClock, replayClock } from './replay-clock.ts';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
/** Two 2 s segments, then an 8 s gap (the host reconnecting), then two more. */
const SEGMENTS = [
  { duration: 2, programDateTime: T0 },
  { duration: 2, programDateTime: T0 + 2000 },
  { duration: 2, programDateTime: T0 + 12_000 },
  { duration: 2, programDateTime: T0 + 14_000 }
];

describe('replay clock', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('places moments by the segment that recorded them, the gap taking no replay time', () => {
    const at = replayClock(SEGMENTS);
    expect(at(T0 - 5000)).toBe(0); // before the recording started
    expect(at(T0 + 500)).toBe(500);
    expect(at(T0 + 3500)).toBe(3500);
    expect(at(T0 + 7000)).toBe(4000); // in the gap: where the replay resumes
    expect(at(T0 + 12_500)).toBe(4500);
    expect(at(T0 + 15_000)).toBe(7000);
    expect(at(T0 + 60_000)).toBe(8000); // after the end
  });

  it('reads the rendition’s index, and has no clock without one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawker-replay-clock-'));
    dirs.push(dir);
    expect(await readReplayClock(dir, '720p')).toBeNull();
    fs.mkdirSync(path.join(dir, '720p'));
    const lines = SEGMENTS.map((s, msn) => JSON.stringify({ msn, ...s, discontinuity: msn === 2, initId: 0 }) + '\n').join('');
    fs.writeFileSync(path.join(dir, '720p', 'index.jsonl'), lines + '{"msn":4,"dura'); // a torn last line
    const clock = (await readReplayClock(dir, '720p'))!;
    expect(clock(T0 + 12_500)).toBe(4500);
  });
});
