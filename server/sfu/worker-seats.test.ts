import type { types } from 'mediasoup';
import { describe, expect, it } from 'vitest';
import { WorkerSeats } from './worker-seats.ts';

const worker = (closed = false) => ({ closed }) as types.Worker;

describe('WorkerSeats', () => {
  it('places viewers evenly, preferring a worker that has the show on a tie', () => {
    const [a, b] = [worker(), worker()];
    const seats = new WorkerSeats();
    const has = (w: types.Worker) => w === b;
    expect(seats.choose([a, b], has)).toBe(b);
    seats.seat(b);
    expect(seats.choose([a, b], has)).toBe(a);
    seats.seat(a);
    expect(seats.choose([a, b], has)).toBe(b);
  });

  it('skips dead and full workers, and says when all are full', () => {
    const [a, b, dead] = [worker(), worker(), worker(true)];
    const seats = new WorkerSeats(2);
    seats.consumed(a);
    seats.consumed(a);
    expect(seats.choose([dead, a, b], () => true)).toBe(b);
    const release = seats.consumed(b);
    seats.consumed(b);
    expect(seats.choose([dead, a, b], () => true)).toBeNull();
    expect(seats.allFull([dead, a, b])).toBe(true);
    release();
    release();
    expect(seats.choose([dead, a, b], () => true)).toBe(b);
  });

  it('releases a seat once however often its release is called', () => {
    const a = worker();
    const seats = new WorkerSeats();
    const release = seats.seat(a);
    seats.seat(a);
    release();
    release();
    expect(seats.viewers(a)).toBe(1);
  });
});
