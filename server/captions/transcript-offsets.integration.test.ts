import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { readReplayClock } from '../hls/encoder/replay-clock.ts';
import { LimitStore } from '../limits/shared-limits.ts';
import { Shows } from '../shows/shows.ts';
import { onEachDialect } from '../testing/dialects.ts';
import type { CaptionCue } from '#shared/captions.ts';
import { Captions } from './captions.ts';

let serial = 0;

onEachDialect('transcript offsets', (repo) => {
  let shows: Shows;
  let showId: string;
  let startedAt: number;
  let dir: string;

  const cue = (n: number, startAt: number): CaptionCue => ({ id: `t${serial}-${n}`, showId, text: `cue ${n}`, final: true, language: 'en', startAt, endAt: startAt + 800 });

  beforeEach(async () => {
    const id = `host-${++serial}`;
    const host = { id, email: `${id}@transcript.test`, displayName: id, role: 'host' as const };
    await repo().changes(repo().db.insert(repo().t.users).values({ ...host, passwordHash: 'x' }));
    shows = new Shows(repo());
    showId = (await shows.create(host, { title: 'Bags', description: '', scheduledAt: Date.now() })).id;
    startedAt = (await shows.goLive(host, showId)).startedAt!;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawker-transcript-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('places cues in the replay by its recording: it starts late and skips a reconnect’s gap', async () => {
    // Recording starts 3 s after the show went live: 2 s segments, then 10 s lost to a reconnect.
    const t0 = startedAt + 3000;
    const segments = [
      { msn: 0, duration: 2, discontinuity: false, programDateTime: t0, initId: 0, mediaTime: 0 },
      { msn: 1, duration: 2, discontinuity: false, programDateTime: t0 + 2000, initId: 0, mediaTime: 2 },
      { msn: 2, duration: 2, discontinuity: true, programDateTime: t0 + 14_000, initId: 1, mediaTime: 0 },
      { msn: 3, duration: 2, discontinuity: false, programDateTime: t0 + 16_000, initId: 1, mediaTime: 2 }
    ];
    fs.mkdirSync(path.join(dir, 'low'));
    fs.writeFileSync(path.join(dir, 'low', 'index.jsonl'), segments.map((s) => JSON.stringify(s) + '\n').join(''));
    const captions = new Captions({ repo: repo(), shows, offer: null, limits: new LimitStore(), replayClock: () => readReplayClock(dir, 'low') });
    await captions.final(cue(1, t0 + 1000));
    await captions.final(cue(2, t0 + 15_000));
    await captions.final(cue(3, t0 + 17_500));
    const { cues } = await captions.transcript(showId, undefined, { userId: null, address: '203.0.113.7' });
    expect(cues.map((c) => [c.text, c.offsetMs])).toEqual([
      ['cue 1', 1000],
      ['cue 2', 5000],
      ['cue 3', 7500]
    ]);
  });

  it('counts from the moment the show went live when this node has no recording of it', async () => {
    const captions = new Captions({ repo: repo(), shows, offer: null, limits: new LimitStore(), replayClock: () => readReplayClock(dir, 'low') });
    await captions.final(cue(1, startedAt + 4000));
    expect((await captions.transcript(showId, undefined, { userId: null, address: '203.0.113.7' })).cues.map((c) => c.offsetMs)).toEqual([4000]);
  });
});
