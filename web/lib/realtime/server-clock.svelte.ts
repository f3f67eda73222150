import type { RealtimeClient } from './realtime-client';

/**
 * Estimates this browser's offset to the server clock from ping round trips
 * (the sample with the shortest round trip is the most trustworthy), so every
 * bidder renders the same countdown from the server's end time.
 */
export class ServerClock {
  offsetMs = $state(0);
  rttMs = $state<number | null>(null);
  readonly #client: RealtimeClient;
  #timer: ReturnType<typeof setInterval> | undefined;
  #unsubscribe: () => void;
  #best: { rtt: number; offset: number; at: number } | null = null;

  constructor(client: RealtimeClient) {
    this.#client = client;
    this.#unsubscribe = client.onOpen(() => void this.#burst());
    this.#timer = setInterval(() => void this.#burst(), 30_000);
  }

  /** The server's current time as best known here. */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  close(): void {
    clearInterval(this.#timer);
    this.#unsubscribe();
  }

  async #burst(): Promise<void> {
    // Old samples age out: clocks drift and routes change.
    if (this.#best && Date.now() - this.#best.at > 120_000) this.#best = null;
    for (let i = 0; i < 5; i++) {
      try {
        const t0 = performance.now();
        const wall0 = Date.now();
        const { serverTime } = await this.#client.request('ping', { clientTime: wall0 });
        const rtt = performance.now() - t0;
        const offset = serverTime - (wall0 + rtt / 2);
        if (!this.#best || rtt < this.#best.rtt) this.#best = { rtt, offset, at: Date.now() };
      } catch {
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    if (this.#best) {
      this.offsetMs = Math.round(this.#best.offset);
      this.rttMs = Math.round(this.#best.rtt);
    }
  }
}
