import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Operator metrics for Prometheus at /metrics. One registry per process: these are
 * counters about the process, not user data, so a module-level registry is right.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'hawker_process_' });

export const wsMessages = new Counter({ name: 'hawker_ws_messages_total', help: 'Inbound ws messages', registers: [registry] });
export const errors = new Counter({ name: 'hawker_errors_total', help: 'Requests that failed', labelNames: ['transport', 'code'], registers: [registry] });
export const bids = new Counter({ name: 'hawker_bids_total', help: 'Accepted bids (including proxy bids)', registers: [registry] });
export const orders = new Counter({ name: 'hawker_orders_total', help: 'Orders created', labelNames: ['kind'], registers: [registry] });
export const chatMessages = new Counter({ name: 'hawker_chat_messages_total', help: 'Chat messages accepted', registers: [registry] });
export const listenerErrors = new Counter({ name: 'hawker_event_listener_errors_total', help: 'Event listeners that threw (contained; the emitter carried on)', labelNames: ['event'], registers: [registry] });
export const captionCues = new Counter({ name: 'hawker_caption_cues_total', help: 'Segments from the speech engine, interim and final (empty and repeated ones included)', labelNames: ['kind'], registers: [registry] });
export const captionStreamsRefused = new Counter({ name: 'hawker_caption_streams_refused_total', help: 'Shows left without captions because the node ran CAPTIONS_MAX_STREAMS already', registers: [registry] });

/** Gauges read from live objects when Prometheus scrapes. */
export function registerLiveGauges(read: {
  rooms: () => number;
  peers: () => number;
  consumers: () => number;
  workerCpuSeconds: () => Promise<{ pid: number; seconds: number }[]>;
  workerViewers: () => { pid: number; viewers: number }[];
  /** In a cluster: shows piped in from other nodes, and pipes this node feeds to others. */
  pipes: () => { in: number; out: number };
}): void {
  // A restarted app (tests start several in one process) replaces the previous readers.
  for (const name of ['hawker_rooms', 'hawker_peers', 'hawker_consumers', 'hawker_mediasoup_worker_cpu_seconds', 'hawker_worker_viewers', 'hawker_media_pipes']) registry.removeSingleMetric(name);
  new Gauge({ name: 'hawker_rooms', help: 'Open show rooms', registers: [registry], collect() { this.set(read.rooms()); } });
  new Gauge({ name: 'hawker_peers', help: 'Connected room peers', registers: [registry], collect() { this.set(read.peers()); } });
  new Gauge({ name: 'hawker_consumers', help: 'mediasoup consumers', registers: [registry], collect() { this.set(read.consumers()); } });
  new Gauge({
    name: 'hawker_mediasoup_worker_cpu_seconds',
    help: 'CPU time used by each mediasoup worker',
    labelNames: ['pid'],
    registers: [registry],
    async collect() {
      for (const w of await read.workerCpuSeconds()) this.set({ pid: String(w.pid) }, w.seconds);
    }
  });
  new Gauge({
    name: 'hawker_worker_viewers',
    help: 'WebRTC viewers seated on each mediasoup worker, over every show',
    labelNames: ['pid'],
    registers: [registry],
    collect() {
      this.reset();
      for (const w of read.workerViewers()) this.set({ pid: String(w.pid) }, w.viewers);
    }
  });
  new Gauge({
    name: 'hawker_media_pipes',
    help: 'Shows piped in from their origin node (in), and pipes this node feeds to other nodes (out)',
    labelNames: ['direction'],
    registers: [registry],
    collect() {
      const { in: inbound, out } = read.pipes();
      this.set({ direction: 'in' }, inbound);
      this.set({ direction: 'out' }, out);
    }
  });
}
