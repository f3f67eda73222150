import type { Metric } from 'prom-client';
import { registry } from './metrics.ts';

/** Upper bounds in seconds: a room-wide frame should reach every socket well under 100 ms. */
const BUCKETS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5];
const NAME = 'hawker_fanout_delivery_seconds';

type Sample = { metricName: string; labels: Record<string, string | number>; value: number };

/**
 * Time from a change's commit to its frame being handed to one client's socket, counted once per
 * client per change. A storm makes millions of these a second, so observations are weighted (one
 * call for a run of clients served in the same instant) and kept in a flat array; prom-client's
 * own Histogram has no weight and would cost a label lookup per client.
 */
export class DeliveryHistogram {
  readonly #counts = new Float64Array(BUCKETS.length + 1);
  #sum = 0;
  #count = 0;

  observe(seconds: number, clients: number): void {
    let i = 0;
    while (i < BUCKETS.length && seconds > BUCKETS[i]!) i++;
    this.#counts[i]! += clients;
    this.#sum += seconds * clients;
    this.#count += clients;
  }

  /** Prometheus histogram samples (cumulative buckets, sum, count). */
  values(): Sample[] {
    const out: Sample[] = [];
    let cumulative = 0;
    BUCKETS.forEach((le, i) => {
      cumulative += this.#counts[i]!;
      out.push({ metricName: `${NAME}_bucket`, labels: { le }, value: cumulative });
    });
    out.push({ metricName: `${NAME}_bucket`, labels: { le: '+Inf' }, value: this.#count });
    out.push({ metricName: `${NAME}_sum`, labels: {}, value: this.#sum });
    out.push({ metricName: `${NAME}_count`, labels: {}, value: this.#count });
    return out;
  }
}

export const fanoutDelivery = new DeliveryHistogram();

const help = 'Room-wide fan-out: seconds from a change being committed to its frame being written to each client socket (one sample per client per change)';
const metric = { name: NAME, help, type: 'histogram', aggregator: 'sum', get: () => ({ name: NAME, help, type: 'histogram', aggregator: 'sum', values: fanoutDelivery.values() }) };
// The registry reads only name, type and get(); prom-client's types ask for a whole Metric class.
registry.registerMetric(metric as unknown as Metric);
