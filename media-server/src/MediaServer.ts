import { routerMediaCodecs } from './codecs.ts';
import type { Logger } from './logger.ts';
import type { MediaServerOptions } from './options.ts';
import { RoomMedia } from './RoomMedia.ts';
import { addCounts, emptyCounts, type MediaCounts, type WorkerStats } from './types.ts';
import { WorkerPool } from './WorkerPool.ts';

/** How long a new room waits for a replacement worker before giving up. */
const WORKER_WAIT_MS = 10_000;

/** The media side of Tupa: workers, and one RoomMedia (router) per live room. */
export class MediaServer {
  readonly #pool: WorkerPool;
  readonly #rooms = new Set<RoomMedia>();
  readonly #logger: Logger;
  readonly #initialOutgoingBitrate: number;

  private constructor(pool: WorkerPool, options: MediaServerOptions, logger: Logger) {
    this.#pool = pool;
    this.#logger = logger;
    this.#initialOutgoingBitrate = options.initialOutgoingBitrate ?? 1_000_000;
  }

  /** Starts the worker pool. */
  static async start(options: MediaServerOptions, logger: Logger): Promise<MediaServer> {
    const pool = await WorkerPool.start(options, logger);
    return new MediaServer(pool, options, logger);
  }

  /** Workers now running: the configured number, one less for a moment while a dead one is replaced. */
  get workerCount(): number {
    return this.#pool.size;
  }

  /**
   * Each live worker's process id and resource use as plain data (units in the field names);
   * the pool and its mediasoup workers stay private to media-server.
   */
  workerStats(): Promise<WorkerStats[]> {
    return this.#pool.stats();
  }

  /**
   * Creates a router for a room on the least loaded worker. If every worker is being replaced
   * (a one-worker server whose worker just died), waits for one.
   */
  async createRoomMedia(roomId: string): Promise<RoomMedia> {
    const slot = await this.#pool.waitForWorker(WORKER_WAIT_MS);
    const router = await slot.worker.createRouter({ mediaCodecs: routerMediaCodecs });
    let speakerObserver;
    try {
      speakerObserver = await router.createActiveSpeakerObserver({ interval: 300 });
    } catch (error) {
      router.close();
      throw error;
    }
    const room = new RoomMedia(roomId, router, speakerObserver, slot, this.#initialOutgoingBitrate, this.#logger);
    this.#rooms.add(room);
    room.once('close', () => this.#rooms.delete(room));
    return room;
  }

  /** Counts from Tupa's own maps. */
  counts(): MediaCounts {
    let total = emptyCounts();
    for (const room of this.#rooms) total = addCounts(total, room.counts());
    return total;
  }

  /** Counts as the workers report them, including routers Tupa may have lost track of. */
  async workerCounts(): Promise<MediaCounts> {
    let total = emptyCounts();
    for (const room of this.#rooms) total = addCounts(total, await room.dumpCounts());
    let routersInWorkers = 0;
    for (const slot of this.#pool.slots()) {
      const dump = await slot.worker.dump();
      routersInWorkers += dump.routerIds.length;
    }
    return { ...total, routers: routersInWorkers };
  }

  /** Closes every room and worker. */
  close(): void {
    for (const room of [...this.#rooms]) room.close();
    this.#pool.close();
  }
}
