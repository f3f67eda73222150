import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerPool } from '../sfu/worker-pool.ts';
import { TestPatternSource } from '../demo/test-pattern-source.ts';
import { testConfig } from '../testing/test-config.ts';
import { Peer } from './peer.ts';
import { WorkerSeats } from '../sfu/worker-seats.ts';
import { Room } from './room.ts';

const rtc = testConfig().mediasoup;

/** Counts UDP datagrams arriving on a local port. */
async function udpCounter(): Promise<{ port: number; count: () => number; close: () => void }> {
  const socket = dgram.createSocket('udp4');
  let n = 0;
  socket.on('message', () => n++);
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  return { port: socket.address().port, count: () => n, close: () => socket.close() };
}

describe('rooms on real mediasoup workers', () => {
  let pool: WorkerPool;
  beforeAll(async () => {
    pool = await WorkerPool.create(2);
  });
  afterAll(() => pool.close());

  it('forwards a live source through an SRTP pipe between workers to a consumer', async () => {
    const [w1, w2] = pool.workers;
    const room = await Room.create({ showId: 'srtp', worker: w1!, rtc });
    const source = await TestPatternSource.attach(room, 'ffmpeg');
    const other = await Room.create({ showId: 'srtp-edge', worker: w2!, rtc });
    expect(room.producerCount).toBe(2);
    // A source FFmpeg that is slow to start is restarted with new producers: pipe the ones that carry media.
    await expect
      .poll(async () => (await [...room.producers()].find((p) => p.kind === 'video')!.getStats())[0]?.packetCount ?? 0, { timeout: 20_000 })
      .toBeGreaterThan(0);

    const piped = [];
    for (const producer of room.producers()) {
      const { pipeProducer } = await room.router.pipeToRouter({ producerId: producer.id, router: other.router, enableSrtp: true });
      piped.push(pipeProducer!);
    }
    const sink = await udpCounter();
    const plain = await other.router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: false });
    await plain.connect({ ip: '127.0.0.1', port: sink.port });
    const video = piped.find((p) => p.kind === 'video')!;
    const consumer = await plain.consume({ producerId: video.id, rtpCapabilities: other.router.rtpCapabilities });
    await consumer.requestKeyFrame();

    await expect.poll(async () => (await video.getStats())[0]?.packetCount ?? 0, { timeout: 10_000 }).toBeGreaterThan(50);
    await expect.poll(() => sink.count(), { timeout: 10_000 }).toBeGreaterThan(50);

    await source.stop();
    room.close('shutdown');
    other.close('shutdown');
    sink.close();
    expect(consumer.closed).toBe(true);
  });

  it('spreads viewers over every worker, piping the show to each once, and keeps a viewer’s consumers on its own worker', async () => {
    const seats = new WorkerSeats();
    const room = await Room.create({ showId: 'spread', worker: pool.workers[0]!, rtc, seating: { workers: () => pool.workers, seats } });
    const source = await TestPatternSource.attach(room, 'ffmpeg');
    const notes: { notification: string; data: { consumerId?: string } }[][] = [];
    const viewers = [0, 1, 2, 3].map((i) => {
      notes[i] = [];
      const viewer = new Peer({ id: `v${i}`, role: 'viewer', user: null, send: (t) => notes[i]!.push(JSON.parse(t.toString())) });
      room.join(viewer);
      return viewer;
    });
    for (const v of viewers) await room.createTransport(v, 'recv');
    expect(viewers.map((v) => pool.workers.indexOf(v.seat!.worker))).toEqual([0, 1, 0, 1]);
    expect(room.workerCount).toBe(2);
    expect(pool.workers.map((w) => seats.viewers(w))).toEqual([2, 2]);

    const far = viewers[1]!;
    const consumers = await room.consume(far, room.router.rtpCapabilities);
    expect(consumers.map((c) => c.kind).sort()).toEqual(['audio', 'video']);
    const video = [...far.consumers.values()].find((c) => c.kind === 'video')!;
    // The piped producer carries the source's packets on the other worker.
    await video.resume();
    await expect.poll(async () => (await video.getStats()).find((s) => s.type === 'inbound-rtp')?.packetCount ?? 0, { timeout: 10_000 }).toBeGreaterThan(20);

    // Its source closing reaches the viewer on the other worker through the pipe.
    for (const p of room.producers()) if (p.kind === 'video') p.close();
    await expect.poll(() => notes[1]!.some((n) => n.notification === 'consumerClosed' && n.data.consumerId === video.id)).toBe(true);

    far.close();
    expect(seats.viewers(pool.workers[1]!)).toBe(1);
    await source.stop();
    room.close('shutdown');
  });

  it('sends a viewer on a worker that died back to rejoin, and keeps the show and its other viewers', async () => {
    const spare = await WorkerPool.create(2);
    try {
      const room = await Room.create({ showId: 'spread-loss', worker: spare.workers[0]!, rtc, seating: { workers: () => spare.workers, seats: new WorkerSeats() } });
      const notes: string[][] = [[], []];
      const [near, far] = [0, 1].map((i) => {
        const viewer = new Peer({ id: `v${i}`, role: 'viewer', user: null, send: (t) => notes[i]!.push(JSON.parse(t.toString()).notification) });
        room.join(viewer);
        return viewer;
      });
      await room.createTransport(near!, 'recv');
      await room.createTransport(far!, 'recv');
      expect(far!.seat!.worker).toBe(spare.workers[1]);

      process.kill(spare.workers[1]!.pid, 'SIGKILL');
      await expect.poll(() => far!.closed, { timeout: 10_000 }).toBe(true);
      expect(notes[1]).toContain('mediaReset');
      expect(room.closed).toBe(false);
      expect(near!.closed).toBe(false);
      expect(notes[0]).not.toContain('mediaReset');
      room.close('shutdown');
    } finally {
      spare.close();
    }
  });

  it('creates one transport per direction for concurrent requests, and none for a peer that left meanwhile', async () => {
    const room = await Room.create({ showId: 'concurrent', worker: pool.workers[0]!, rtc });
    const viewer = new Peer({ id: 'v', role: 'viewer', user: null, send: () => {} });
    room.join(viewer);
    const results = await Promise.allSettled([1, 2, 3].map(() => room.createTransport(viewer, 'recv')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(viewer.transports.size).toBe(1);

    const leaving = new Peer({ id: 'l', role: 'viewer', user: null, send: () => {} });
    room.join(leaving);
    const pending = room.createTransport(leaving, 'recv');
    leaving.close();
    await expect(pending).rejects.toThrow(/left the show/);
    expect(leaving.transports.size).toBe(0);
    room.close('shutdown');
  });

  it('answers not_found, not an internal error, when a consumer closes while its resume is on the way', async () => {
    const room = await Room.create({ showId: 'resume-race', worker: pool.workers[0]!, rtc });
    const source = await TestPatternSource.attach(room, 'ffmpeg');
    const viewer = new Peer({ id: 'v', role: 'viewer', user: null, send: () => {} });
    room.join(viewer);
    await room.createTransport(viewer, 'recv');
    const [consumer] = await room.consume(viewer, room.router.rtpCapabilities);
    // The producer goes first; the worker has dropped the consumer by the time the resume arrives.
    for (const producer of room.producers()) producer.close();
    await expect(room.resumeConsumer(viewer, consumer!.id)).rejects.toMatchObject({ code: 'not_found' });
    await source.stop();
    room.close('shutdown');
  });

  it('cascades close: peer → transports; room → peers, notifying viewers when media is lost', async () => {
    const room = await Room.create({ showId: 'cascade', worker: pool.workers[0]!, rtc });
    const notes: string[] = [];
    const viewer = new Peer({ id: 'v', role: 'viewer', user: null, send: (t) => notes.push(JSON.parse(t.toString()).notification) });
    const host = new Peer({ id: 'h', role: 'host', user: null, send: () => {} });
    room.join(viewer);
    room.join(host);
    await room.createTransport(viewer, 'recv');
    const send = await room.createTransport(host, 'send');
    await expect(room.createTransport(viewer, 'send')).rejects.toThrow(/Only the show’s host/);
    const hostTransport = host.transport(send.id);

    host.close();
    expect(hostTransport.closed).toBe(true);
    expect(room.peerCount).toBe(1);

    // A router closing under the room (its worker died) closes the room and tells viewers to rejoin.
    room.router.close();
    expect(room.closed).toBe(true);
    expect(viewer.closed).toBe(true);
    expect(notes).toContain('mediaReset');
  });
});
