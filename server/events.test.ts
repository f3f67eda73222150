import { describe, expect, it } from 'vitest';
import { TypedEmitter } from './events.ts';
import * as metrics from './metrics/metrics.ts';

class Ticker extends TypedEmitter<{ tick: [n: number] }> {
  tick(n: number): void {
    this.emit('tick', n);
  }
}

const failures = async () => (await metrics.listenerErrors.get()).values.find((v) => v.labels.event === 'tick')?.value ?? 0;

describe('TypedEmitter', () => {
  it('keeps a throwing listener from reaching the emitter or the listeners after it, and counts it', async () => {
    const t = new Ticker();
    const seen: string[] = [];
    t.on('tick', () => {
      throw new Error('listener bug');
    });
    t.once('tick', (n) => seen.push(`once ${n}`));
    t.on('tick', (n) => seen.push(`on ${n}`));
    const before = await failures();
    expect(() => t.tick(1)).not.toThrow();
    t.tick(2);
    expect(seen).toEqual(['once 1', 'on 1', 'on 2']);
    expect(await failures()).toBe(before + 2);
  });

  it('contains an async listener’s rejection too', async () => {
    const t = new Ticker();
    t.on('tick', async () => {
      throw new Error('async listener bug');
    });
    const before = await failures();
    t.tick(1);
    await expect.poll(failures).toBe(before + 1);
  });
});
