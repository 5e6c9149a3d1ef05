import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import type { Logger } from './logger.ts';
import type { MediaServerOptions } from './options.ts';
import { SafeEmitter } from './SafeEmitter.ts';
import type { WorkerStats } from './types.ts';

/** One worker process and the WebRtcServer that holds its fixed UDP+TCP port. */
export interface WorkerSlot {
  readonly index: number;
  readonly worker: types.Worker;
  readonly webRtcServer: types.WebRtcServer;
  /** Routers currently placed on this worker; used to spread new rooms. */
  routerCount: number;
}

type WorkerPoolEvents = {
  /** A worker died; its routers are gone. A replacement is being started. */
  workerdied: [index: number];
  workerreplaced: [index: number];
};

/**
 * The mediasoup workers, one per configured slot. A worker that dies is replaced on the same
 * port, so the process never has to exit because of a crashed worker.
 */
export class WorkerPool extends SafeEmitter<WorkerPoolEvents> {
  readonly #slots = new Map<number, WorkerSlot>();
  readonly #options: MediaServerOptions;
  #closed = false;

  private constructor(options: MediaServerOptions, logger: Logger) {
    super(logger);
    this.#options = options;
  }

  /** Starts all workers; rejects if any cannot start (for example a port in use). */
  static async start(options: MediaServerOptions, logger: Logger): Promise<WorkerPool> {
    const pool = new WorkerPool(options, logger);
    try {
      for (let index = 0; index < options.numWorkers; index++) await pool.#startSlot(index);
    } catch (error) {
      pool.close();
      throw error;
    }
    return pool;
  }

  get size(): number {
    return this.#slots.size;
  }

  get closed(): boolean {
    return this.#closed;
  }

  slots(): WorkerSlot[] {
    return [...this.#slots.values()];
  }

  /**
   * Each live worker's resource use. A worker that dies while being asked is left out (its
   * replacement shows up in a later call); any other failure rejects.
   */
  async stats(): Promise<WorkerStats[]> {
    const live = this.slots().filter((slot) => !slot.worker.closed);
    const stats = await Promise.all(
      live.map(async (slot): Promise<WorkerStats | undefined> => {
        try {
          const usage = await slot.worker.getResourceUsage();
          return {
            index: slot.index,
            pid: slot.worker.pid,
            cpuUserMs: usage.ru_utime,
            cpuSystemMs: usage.ru_stime,
            maxRssKb: usage.ru_maxrss,
            routers: slot.routerCount,
          };
        } catch (error) {
          if (slot.worker.closed) return undefined;
          throw error;
        }
      }),
    );
    return stats.filter((s) => s !== undefined);
  }

  /** The live slot with the fewest routers. */
  leastLoaded(): WorkerSlot {
    let best: WorkerSlot | undefined;
    // A dead worker closes its routers before it reports 'died', so check `closed` too.
    for (const slot of this.#slots.values()) {
      if (slot.worker.closed) continue;
      if (!best || slot.routerCount < best.routerCount) best = slot;
    }
    if (!best) throw new Error('no mediasoup worker is running');
    return best;
  }

  /** The least loaded live slot, waiting up to `timeoutMs` for a replacement if none is live. */
  async waitForWorker(timeoutMs: number): Promise<WorkerSlot> {
    if (this.#closed || this.slots().some((slot) => !slot.worker.closed)) return this.leastLoaded();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('workerreplaced', onReplaced);
        reject(new Error('no mediasoup worker came back in time'));
      }, timeoutMs);
      const onReplaced = () => {
        clearTimeout(timer);
        resolve();
      };
      this.once('workerreplaced', onReplaced);
    });
    return this.leastLoaded();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const slot of this.#slots.values()) slot.worker.close();
    this.#slots.clear();
  }

  async #startSlot(index: number): Promise<void> {
    const { listenIp, announcedIp, rtcPort, logLevel } = this.#options;
    const worker = await mediasoup.createWorker({
      logLevel: logLevel ?? 'warn',
      logTags: ['ice', 'dtls', 'rtp', 'srtp', 'rtcp'],
    });
    let webRtcServer: types.WebRtcServer;
    try {
      const port = rtcPort + index;
      webRtcServer = await worker.createWebRtcServer({
        listenInfos: [
          { protocol: 'udp', ip: listenIp, announcedIp, port },
          { protocol: 'tcp', ip: listenIp, announcedIp, port },
        ],
      });
    } catch (error) {
      worker.close();
      throw error;
    }
    const slot: WorkerSlot = { index, worker, webRtcServer, routerCount: 0 };
    this.#slots.set(index, slot);
    worker.on('died', (error) => this.#onWorkerDied(slot, error));
    this.logger.info({ workerIndex: index, pid: worker.pid, port: rtcPort + index }, 'media worker started');
  }

  #onWorkerDied(slot: WorkerSlot, error: Error): void {
    if (this.#slots.get(slot.index) !== slot) return;
    this.#slots.delete(slot.index);
    this.logger.error({ workerIndex: slot.index, pid: slot.worker.pid, err: error }, 'media worker died');
    this.safeEmit('workerdied', slot.index);
    if (this.#closed) return;
    void this.#replace(slot.index, 1);
  }

  async #replace(index: number, attempt: number): Promise<void> {
    try {
      await this.#startSlot(index);
      if (this.#closed) {
        this.#slots.get(index)?.worker.close();
        return;
      }
      this.safeEmit('workerreplaced', index);
    } catch (error) {
      // The old process may still hold the port for a moment; try again with a growing delay.
      const delayMs = Math.min(5000, 200 * attempt);
      this.logger.warn({ workerIndex: index, attempt, err: error }, 'media worker restart failed, retrying');
      if (!this.#closed) setTimeout(() => void this.#replace(index, attempt + 1), delayMs).unref();
    }
  }
}
