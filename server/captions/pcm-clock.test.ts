import { describe, expect, it } from 'vitest';
import { PCM_BYTES_PER_MS } from './engines/speech-to-text.ts';
import { GAP_TOLERANCE_MS, MAX_GAP_FILL_MS, PcmClock } from './pcm-clock.ts';

/** Bytes of `ms` of 16 kHz mono s16le PCM. */
const pcm = (ms: number) => ms * PCM_BYTES_PER_MS;

describe('the PCM clock', () => {
  it('puts offset 0 where the first chunk began, and then counts in audio time', () => {
    const clock = new PcmClock();
    expect(clock.push(pcm(20), 10_020)).toEqual({ restart: false, silenceBytes: 0 });
    expect(clock.at(0)).toBe(10_000);
    for (let i = 2; i <= 50; i++) expect(clock.push(pcm(20), 10_000 + i * 20 + 5)).toEqual({ restart: false, silenceBytes: 0 });
    expect(clock.at(1000)).toBe(11_000);
  });

  it('rides out jitter below the tolerance without adding silence', () => {
    const clock = new PcmClock();
    clock.push(pcm(20), 1_020);
    expect(clock.push(pcm(20), 1_040 + GAP_TOLERANCE_MS - 10)).toEqual({ restart: false, silenceBytes: 0 });
    // The burst that follows the late chunk catches up.
    expect(clock.push(pcm(400), 1_450)).toEqual({ restart: false, silenceBytes: 0 });
  });

  it('fills a pause (a restarted FFmpeg, a new producer) with as much silence, so later words keep their wall-clock time', () => {
    const clock = new PcmClock();
    clock.push(pcm(1000), 5_000); // audio 4.0–5.0 s
    const step = clock.push(pcm(20), 8_020); // audio stopped for 3 s, then 20 ms arrived
    expect(step).toEqual({ restart: false, silenceBytes: pcm(3000) });
    // The word after the pause starts 4000 ms into the stream: at 8.0 s on the wall.
    expect(clock.at(1000 + 3000)).toBe(8_000);
  });

  it('keeps the silence to whole 16-bit samples', () => {
    const clock = new PcmClock();
    clock.push(pcm(20), 1_000);
    const step = clock.push(pcm(20), 1_020 + 1000.03);
    expect(step.restart).toBe(false);
    if (!step.restart) expect(step.silenceBytes % 2).toBe(0);
  });

  it('asks for a new timeline after a pause too long to fill', () => {
    const clock = new PcmClock();
    clock.push(pcm(20), 1_000);
    expect(clock.push(pcm(20), 1_040 + MAX_GAP_FILL_MS + 1)).toEqual({ restart: true });
  });
});
