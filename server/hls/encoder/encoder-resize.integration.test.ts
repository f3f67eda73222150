import { execFileSync, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LADDER, DEFAULT_TIMING, FIRST_OUTPUT_FD, ffmpegArgs } from './ladder.ts';
import { renderSdp } from './sdp.ts';
import { FFMPEG, FFPROBE, requireFfmpeg } from '../../testing/ffmpeg.ts';

const FPS = 30;
const PAYLOAD_TYPE = 96;
const AUDIO_PAYLOAD_TYPE = 111;
/** Each source size plays this long. */
const SECONDS_PER_SIZE = 3;

/** VP8 frames of an IVF file (32-byte header, then a 12-byte header before each frame). */
function ivfFrames(file: string): Buffer[] {
  const bytes = fs.readFileSync(file);
  const frames: Buffer[] = [];
  for (let o = bytes.readUInt16LE(6); o + 12 <= bytes.length; ) {
    const size = bytes.readUInt32LE(o);
    frames.push(bytes.subarray(o + 12, o + 12 + size));
    o += 12 + size;
  }
  return frames;
}

let seq = 1000;
/** RTP packets of the n-th VP8 frame (RFC 7741): one RTP clock and sequence across every frame, as mediasoup keeps them across a simulcast layer switch. */
function vp8Packets(frame: Buffer, n: number): Buffer[] {
  const packets: Buffer[] = [];
  {
    const timestamp = (5000 + n * (90_000 / FPS)) >>> 0;
    for (let o = 0; o < frame.length; o += 1100) {
      const chunk = frame.subarray(o, o + 1100);
      const last = o + 1100 >= frame.length;
      const header = Buffer.alloc(13);
      header[0] = 0x80;
      header[1] = (last ? 0x80 : 0) | PAYLOAD_TYPE;
      header.writeUInt16BE(seq++ & 0xffff, 2);
      header.writeUInt32BE(timestamp, 4);
      header.writeUInt32BE(0x1234_5678, 8);
      header[12] = o === 0 ? 0x10 : 0x00; // S bit: start of the frame's partition
      packets.push(Buffer.concat([header, chunk]));
    }
  }
  return packets;
}

/** Even ports whose successors are free too (RTP, then RTCP), distinct from each other. */
async function freePorts(n: number): Promise<number[]> {
  const held: dgram.Socket[] = [];
  const ports: number[] = [];
  while (ports.length < n) {
    const pair = [dgram.createSocket('udp4'), dgram.createSocket('udp4')];
    const probe = dgram.createSocket('udp4');
    await new Promise<void>((r) => probe.bind(0, '127.0.0.1', r));
    const port = probe.address().port & ~1;
    probe.close();
    const bound = await Promise.all(pair.map((s, i) => new Promise<boolean>((r) => s.once('error', () => r(false)).bind(port + i, '127.0.0.1', () => r(true)))));
    held.push(...pair);
    if (bound.every(Boolean)) ports.push(port);
  }
  for (const s of held) s.close();
  return ports;
}

requireFfmpeg();

describe('the LL-HLS encoder across a change of the source size', () => {
  let dir = '';
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawker-resize-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps audio and video on one clock, every frame once, when the host drops to a smaller simulcast layer', async () => {
    // The host's top layer, then a smaller one (as when its encoder sheds a layer under load).
    const frames = (['640x360', '320x180'] as const).flatMap((size) => {
      const file = path.join(dir, `${size}.ivf`);
      execFileSync(FFMPEG, [
        ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=${FPS}`, '-t', String(SECONDS_PER_SIZE)],
        ...['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-g', String(FPS), '-b:v', '400k', '-y', file]
      ]);
      return ivfFrames(file);
    });
    const [port, audioPort] = (await freePorts(2)) as [number, number];
    const sdpPath = path.join(dir, 'input.sdp');
    fs.writeFileSync(
      sdpPath,
      renderSdp([
        { kind: 'video', port, payloadType: PAYLOAD_TYPE, mimeType: 'video/VP8', clockRate: 90_000 },
        { kind: 'audio', port: audioPort, payloadType: AUDIO_PAYLOAD_TYPE, mimeType: 'audio/opus', clockRate: 48_000, channels: 2 }
      ])
    );
    const outPath = path.join(dir, 'out.mp4');
    const out = fs.createWriteStream(outPath);
    const ffmpeg = spawn(FFMPEG, ffmpegArgs({ sdpPath, ladder: [DEFAULT_LADDER[1]!], timing: DEFAULT_TIMING, hasAudio: true }), {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe']
    });
    ffmpeg.stdio[FIRST_OUTPUT_FD]!.pipe(out);
    const exited = new Promise((r) => ffmpeg.once('exit', r));
    await new Promise((r) => setTimeout(r, 1500)); // FFmpeg binds the port

    // The host's microphone, in real time beside the video.
    const audio = spawn(FFMPEG, [
      ...['-hide_banner', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000`, '-t', String(2 * SECONDS_PER_SIZE)],
      ...['-c:a', 'libopus', '-ac', '2', '-b:a', '64k', '-payload_type', String(AUDIO_PAYLOAD_TYPE), '-f', 'rtp', `rtp://127.0.0.1:${audioPort}`]
    ]);
    const audioDone = new Promise((r) => audio.once('exit', r));
    const socket = dgram.createSocket('udp4');
    const started = Date.now();
    for (const [n, frame] of frames.entries()) {
      for (const packet of vp8Packets(frame, n)) socket.send(packet, port, '127.0.0.1');
      await new Promise((r) => setTimeout(r, Math.max(0, started + ((n + 1) * 1000) / FPS - Date.now())));
    }
    await audioDone;
    await new Promise((r) => setTimeout(r, 1500));
    socket.close();
    ffmpeg.kill('SIGINT'); // finishes the file
    await exited;
    await new Promise((r) => out.close(r));

    const times = (stream: 'v' | 'a') =>
      execFileSync(FFPROBE, ['-v', 'error', '-select_streams', stream, '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', outPath])
        .toString()
        .trim()
        .split('\n')
        .map(Number);
    // A rebuilt graph restarted the audio clock at zero; the muxer then stepped each AAC frame (21 ms) one tick
    // past the last until the new clock caught up, so audio stalled for as long as the show had run.
    const video = times('v').sort((a, b) => a - b);
    const audioPts = times('a');
    const audioSteps = audioPts.slice(1).map((t, i) => t - audioPts[i]!);
    expect(Math.min(...audioSteps)).toBeGreaterThan(0.015);
    expect(Math.max(...audioSteps)).toBeLessThan(0.1);
    // Every source frame once, evenly spaced, and audio alongside to the end.
    expect(video.length).toBeGreaterThan(frames.length * 0.9);
    expect(video.length).toBeLessThan(frames.length * 1.1);
    const gaps = video.slice(1).map((t, i) => t - video[i]!);
    expect(Math.min(...gaps)).toBeGreaterThan(0.5 / FPS);
    expect(Math.max(...gaps)).toBeLessThan(2.5 / FPS);
    expect(Math.abs(audioPts.at(-1)! - video.at(-1)!)).toBeLessThan(0.5);
  }, 60_000);
});
