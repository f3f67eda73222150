import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HlsPlayer, type ActiveCaption } from './hls-player.svelte';

/** A <video> the browser plays HLS in by itself (no Media Source Extensions), with one subtitle track. */
function setup() {
  const track = Object.assign(new EventTarget(), { kind: 'subtitles', mode: 'disabled', activeCues: [] as { id: string; text: string }[] });
  const textTracks = Object.assign(new EventTarget(), { length: 1, 0: track });
  const video = Object.assign(new EventTarget(), {
    textTracks,
    error: null,
    src: '',
    canPlayType: () => 'maybe',
    play: async () => {},
    removeAttribute: () => {},
    load: () => {}
  });
  const reports: (readonly ActiveCaption[])[] = [];
  const player = new HlsPlayer(video as unknown as HTMLVideoElement, { onCaptions: (cues) => reports.push(cues) });
  /** The track reaches a caption. */
  const cue = (text: string) => {
    track.activeCues = [{ id: 'c1', text }];
    track.dispatchEvent(new Event('cuechange'));
  };
  return { player, video, cue, reports };
}

describe('HlsPlayer captions', () => {
  beforeEach(() => vi.stubGlobal('window', {}));
  afterEach(() => vi.unstubAllGlobals());

  it('reports the caption the video plays, and none once the player is destroyed', async () => {
    const { player, cue, reports } = setup();
    player.showCaptions(true);
    await player.load('/hls/s1/master.m3u8');
    expect(player.mode).toBe('native');
    cue('hello');
    expect(reports.at(-1)).toEqual([{ id: 'c1', text: 'hello' }]);
    player.destroy();
    expect(reports.at(-1)).toEqual([]);
  });

  it('takes the caption off the screen when playback fails for good', async () => {
    const { player, video, cue, reports } = setup();
    player.showCaptions(true);
    await player.load('/hls/s1/master.m3u8');
    cue('hello');
    video.dispatchEvent(new Event('error'));
    expect(player.fatalError).toBeTruthy();
    expect(reports.at(-1)).toEqual([]);
    player.destroy();
  });
});
