/**
 * Real fMP4 from the installed FFmpeg. Tests that need FFmpeg fail with a
 * clear message when it is missing rather than skipping and passing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Fmp4Parser, type Fragment, type InitSegment } from '../hls/format/fmp4.ts';

export const FFMPEG = '/usr/bin/ffmpeg';
export const FFPROBE = '/usr/bin/ffprobe';

/** Throws unless FFmpeg and FFprobe are installed; call it where a test starts using them. */
export function requireFfmpeg(): void {
  for (const bin of [FFMPEG, FFPROBE]) {
    if (!existsSync(bin)) throw new Error(`${bin} is missing: these tests need FFmpeg (apt-get install ffmpeg)`);
  }
}

/** The fragmenting flags the packager expects. */
export const FMP4_OUTPUT = ['-f', 'mp4', '-movflags', 'frag_keyframe+empty_moov+default_base_moof', '-frag_duration', '200000', 'pipe:1'];

export function runFfmpeg(args: readonly string[]): Buffer {
  requireFfmpeg();
  const r = spawnSync(FFMPEG, ['-hide_banner', '-loglevel', 'error', ...args], { maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`ffmpeg failed: ${r.stderr.toString()}`);
  return r.stdout;
}

/** 320x180 30 fps H.264 test pattern with a keyframe every `gop` frames. */
export function videoFmp4(seconds: number, gop = 15): Buffer {
  return runFfmpeg([
    ...['-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=30', '-t', String(seconds)],
    ...['-c:v', 'libx264', '-g', String(gop), '-keyint_min', String(gop), '-sc_threshold', '0'],
    ...FMP4_OUTPUT
  ]);
}

/** A whole fMP4 stream as its init segment and fragments. */
export function splitFmp4(bytes: Uint8Array): { init: InitSegment; fragments: Fragment[] } {
  let init: InitSegment | undefined;
  const fragments: Fragment[] = [];
  for (const e of new Fmp4Parser().push(bytes)) {
    if (e.type === 'init') init = e.init;
    else fragments.push(e.fragment);
  }
  if (!init) throw new Error('no init segment');
  return { init, fragments };
}
