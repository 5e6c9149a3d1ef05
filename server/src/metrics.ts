import type { MediaServer } from '@tupa/media-server';
import type { RoomRegistry } from '@tupa/signaling';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics: live rooms and media objects, worker CPU, event-loop lag (from the
 * default Node metrics) and signaling request latency. Values are read when scraped, so nothing
 * here runs on the hot path except one histogram observation per request.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly #requestDuration: Histogram<'request' | 'outcome'>;

  constructor(source: { media: MediaServer; rooms: RoomRegistry }) {
    // Node's delay monitor counts the whole sampling interval, so a 10 ms interval would make an
    // idle loop look 10 ms late; 1 ms keeps the p99 honest at negligible cost.
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 1 });
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.set(read());
        },
      });
    gauge('tupa_rooms', 'Live rooms', () => source.rooms.size);
    gauge('tupa_peers', 'Participants in live rooms', () => source.rooms.peerCount());
    gauge('tupa_media_routers', 'mediasoup routers', () => source.media.counts().routers);
    gauge('tupa_media_transports', 'mediasoup WebRTC transports', () => source.media.counts().transports);
    gauge('tupa_media_producers', 'mediasoup producers', () => source.media.counts().producers);
    gauge('tupa_media_consumers', 'mediasoup consumers', () => source.media.counts().consumers);
    gauge('tupa_media_workers', 'Running mediasoup workers', () => source.media.workerCount);
    new Counter({
      name: 'tupa_media_worker_cpu_seconds_total',
      help: 'CPU time used by each mediasoup worker (user + system)',
      labelNames: ['worker'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const worker of await source.media.workerStats()) {
          this.inc({ worker: String(worker.index) }, (worker.cpuUserMs + worker.cpuSystemMs) / 1000);
        }
      },
    });
    this.#requestDuration = new Histogram({
      name: 'tupa_signaling_request_duration_seconds',
      help: 'Time from a signaling request arriving to its acknowledgement',
      labelNames: ['request', 'outcome'],
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
      registers: [this.registry],
    });
  }

  /** Records one signaling request. */
  observeRequest(request: string, ms: number, ok: boolean): void {
    this.#requestDuration.observe({ request, outcome: ok ? 'ok' : 'error' }, ms / 1000);
  }
}
