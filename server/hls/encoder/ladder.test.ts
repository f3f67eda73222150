import { describe, expect, it } from 'vitest';
import { DEFAULT_LADDER, DEFAULT_TIMING, ffmpegArgs, validateLadder, variantStream, type Rendition } from './ladder.ts';

const value = (args: string[], flag: string, from = 0) => args[args.indexOf(flag, from) + 1];

describe('transcoding ladder', () => {
  it('builds one fragmented MP4 output per rendition on fd 3, 4, …', () => {
    const args = ffmpegArgs({ sdpPath: '/tmp/in.sdp', ladder: DEFAULT_LADDER, timing: DEFAULT_TIMING, hasAudio: true });
    expect(value(args, '-protocol_whitelist')).toBe('file,udp,rtp');
    expect(value(args, '-i')).toBe('/tmp/in.sdp');
    const graph = value(args, '-filter_complex')!;
    expect(graph).toContain('fps=30:start_time=0,split=2[s0][s1]');
    expect(graph).toContain('scale=1280:720:force_original_aspect_ratio=decrease,pad=1280:720');
    expect(graph).toContain('scale=640:360:');
    expect(graph).toContain('asplit=2[a0][a1]');
    expect(args.filter((a) => a.startsWith('pipe:'))).toEqual(['pipe:3', 'pipe:4']);
    expect(args.filter((a) => a === '-frag_duration').length).toBe(2);
    expect(value(args, '-frag_duration')).toBe('200000');
    expect(value(args, '-force_key_frames')).toBe('expr:gte(t,n_forced*1)');
    expect(value(args, '-movflags')).toBe('frag_keyframe+empty_moov+default_base_moof');
    const afterFirstOutput = args.indexOf('pipe:3');
    expect(value(args, '-b:v', afterFirstOutput)).toBe('700000');
    expect(value(args, '-b:a', afterFirstOutput)).toBe('64000');
  });

  it('leaves audio out when the room has none, and splits nothing for one rendition', () => {
    const args = ffmpegArgs({ sdpPath: 's.sdp', ladder: [DEFAULT_LADDER[1]!], timing: DEFAULT_TIMING, hasAudio: false, preset: 'ultrafast' });
    const graph = value(args, '-filter_complex')!;
    expect(graph).not.toContain('split');
    expect(graph).not.toContain('[0:a:0]');
    expect(args).not.toContain('-c:a');
    expect(args).not.toContain('[a0]');
    expect(value(args, '-preset')).toBe('ultrafast');
    expect(args.at(-1)).toBe('pipe:3');
  });

  it('rejects ladders and timings that break the packager or the URL space', () => {
    const ok: Rendition = { name: '480p', width: 854, height: 480, videoBitrate: 1_000_000, audioBitrate: 96_000 };
    expect(() => validateLadder([ok], DEFAULT_TIMING)).not.toThrow();
    expect(() => validateLadder([], DEFAULT_TIMING)).toThrow();
    expect(() => validateLadder([ok, ok], DEFAULT_TIMING)).toThrow(/duplicate/);
    expect(() => validateLadder([{ ...ok, name: '../x' }], DEFAULT_TIMING)).toThrow(/name/);
    // The subtitle rendition's directory.
    expect(() => validateLadder([{ ...ok, name: 'subtitles' }], DEFAULT_TIMING)).toThrow(/reserved/);
    expect(() => validateLadder([{ ...ok, width: 855 }], DEFAULT_TIMING)).toThrow(/size/);
    expect(() => validateLadder([{ ...ok, videoBitrate: 0 }], DEFAULT_TIMING)).toThrow(/bitrate/);
    expect(() => validateLadder([ok], { ...DEFAULT_TIMING, partSeconds: 0.25 })).toThrow(/whole number of frames/);
    expect(() => validateLadder([ok], { ...DEFAULT_TIMING, keyframeSeconds: 0.5, partSeconds: 0.3 })).toThrow(/whole parts/);
    expect(() => validateLadder([ok], { ...DEFAULT_TIMING, segmentSeconds: 0.5 })).toThrow(/shorter/);
  });

  it('describes a variant from its init segment tracks', () => {
    const r = DEFAULT_LADDER[0]!;
    const tracks = [
      { id: 1, kind: 'video', timescale: 15360, codec: 'avc1.64001f', width: 1280, height: 720 },
      { id: 2, kind: 'audio', timescale: 48000, codec: 'mp4a.40.2' }
    ] as const;
    expect(variantStream(r, tracks, '720p/index.m3u8', 30)).toEqual({
      uri: '720p/index.m3u8',
      bandwidth: Math.round((2_500_000 + 128_000) * 1.1),
      codecs: 'avc1.64001f,mp4a.40.2',
      resolution: { width: 1280, height: 720 },
      frameRate: 30
    });
    expect(variantStream(r, tracks.slice(0, 1), 'v', 30)).toMatchObject({ bandwidth: 2_750_000, codecs: 'avc1.64001f' });
  });
});
