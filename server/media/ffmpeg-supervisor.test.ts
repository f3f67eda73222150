import { afterEach, describe, expect, it } from 'vitest';
import { logger } from '../log.ts';
import { FfmpegSupervisor, type FfmpegRun } from './ffmpeg-supervisor.ts';

/** A stand-in for FFmpeg: a shell script writing to its output pipes. */
function supervise(script: string, opts: { outputs?: number; stallMs?: number; startTimeoutMs?: number } = {}) {
  const runs: { run: FfmpegRun; data: string[] }[] = [];
  const sup = new FfmpegSupervisor({
    bin: '/bin/sh',
    args: () => ['-c', script],
    outputs: opts.outputs ?? 1,
    stallMs: opts.stallMs,
    startTimeoutMs: opts.startTimeoutMs,
    log: logger('test'),
    onSpawn: (run) => {
      const data = run.outputs.map(() => '');
      run.outputs.forEach((o, i) => o.on('data', (d: Buffer) => (data[i] += d.toString())));
      runs.push({ run, data });
    }
  });
  supervisors.push(sup);
  sup.start();
  return { sup, runs };
}

const supervisors: FfmpegSupervisor[] = [];
afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((s) => s.stop()));
});

describe('FFmpeg supervisor', () => {
  it('hands each output pipe to the packager', async () => {
    const { runs } = supervise('printf a >&3; printf b >&4; exec sleep 5', { outputs: 2 });
    await expect.poll(() => runs[0]?.data).toEqual(['a', 'b']);
  });

  it('restarts a process that exits, announcing the new one', async () => {
    const { sup, runs } = supervise('printf x >&3; exit 1');
    await expect.poll(() => runs.length, { timeout: 5000 }).toBeGreaterThanOrEqual(3);
    expect(sup.restarts).toBeGreaterThanOrEqual(2);
    expect(new Set(runs.map((r) => r.run.pid)).size).toBe(runs.length);
  });

  it('kills and restarts a process whose output stalls, or never starts', async () => {
    const stalled = supervise('printf x >&3; exec sleep 30', { stallMs: 300 });
    const silent = supervise('exec sleep 30', { stallMs: 300, startTimeoutMs: 600 });
    await expect.poll(() => stalled.runs.length, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    await expect.poll(() => silent.runs.length, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
  });

  it('restarts a stalled process at the default limit when the caller passes no limit', async () => {
    // Callers forward their own optional settings; an undefined one must not switch stall detection off.
    const stalled = supervise('printf x >&3; exec sleep 30', { stallMs: undefined });
    await expect.poll(() => stalled.runs.length, { timeout: 8000 }).toBeGreaterThanOrEqual(2);
  });

  it('keeps a process whose output flows', async () => {
    const { sup, runs } = supervise('while true; do printf x >&3; sleep 0.05; done', { stallMs: 300 });
    await new Promise((r) => setTimeout(r, 1200));
    expect(runs.length).toBe(1);
    expect(sup.restarts).toBe(0);
  });

  it('stops for good, with SIGKILL when SIGTERM is ignored', async () => {
    const { sup, runs } = supervise("trap '' TERM; printf x >&3; while true; do sleep 0.1; done");
    await expect.poll(() => runs[0]?.data[0]).toBe('x');
    const pid = sup.pid!;
    const t0 = Date.now();
    await sup.stop();
    expect(Date.now() - t0).toBeGreaterThan(1500);
    expect(() => process.kill(pid, 0)).toThrow();
    expect(sup.pid).toBeUndefined();
    await new Promise((r) => setTimeout(r, 400));
    expect(runs.length).toBe(1);
  });

  it('stops at once, with SIGKILL, when the caller allows no grace', async () => {
    const ignoring = "trap '' TERM; printf x >&3; while true; do sleep 0.1; done";
    const graceful = supervise(ignoring);
    const now = supervise(ignoring);
    await expect.poll(() => [graceful.runs[0]?.data[0], now.runs[0]?.data[0]]).toEqual(['x', 'x']);
    const gracefulPid = graceful.sup.pid!;
    const stopping = graceful.sup.stop();
    await now.sup.stop(0);
    // The one given the default grace is still waiting it out.
    expect(() => process.kill(gracefulPid, 0)).not.toThrow();
    await stopping;
    expect(() => process.kill(gracefulPid, 0)).toThrow();
  });

  it('reports a binary that cannot start and keeps retrying', async () => {
    const runs: FfmpegRun[] = [];
    const sup = new FfmpegSupervisor({ bin: '/nonexistent/ffmpeg', args: () => [], outputs: 1, log: logger('test'), onSpawn: (r) => runs.push(r) });
    supervisors.push(sup);
    sup.start();
    await expect.poll(() => runs.length, { timeout: 3000 }).toBeGreaterThanOrEqual(2);
  });
});
