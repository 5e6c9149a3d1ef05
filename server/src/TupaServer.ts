import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openDatabase, type Database } from '@tupa/db';
import { MediaServer, type MediaCounts } from '@tupa/media-server';
import { defaultSignalingOptions, RoomRegistry, SignalingServer, type SignalingOptions } from '@tupa/signaling';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { createApp } from './http/app.ts';
import type { Readiness } from './http/routes/health.ts';
import { loadWebHandler } from './http/webHandler.ts';
import { Metrics } from './metrics.ts';
import { turnCredentials } from './turn.ts';
import { createAdmissions } from './admissions.ts';
import { CodeGuessingGuard } from './codeGuessingGuard.ts';
import { createBookCatalogue } from './books/catalogue.ts';
import { openBookShelf } from './books/shelf.ts';

/** A running Tupa: everything `npm start` brings up, and the one way to stop it. */
export interface TupaServer {
  /** Where the HTTP server actually listens (the port is real even when 0 was asked for). */
  readonly url: string;
  readonly config: Config;
  readonly db: Database;
  readonly media: MediaServer;
  readonly registry: RoomRegistry;
  readonly signaling: SignalingServer;
  mediaCounts(): MediaCounts;
  /**
   * Graceful drain: `/readyz` fails at once and new joins are refused with "server restarting",
   * while running calls go on until they end or the drain timeout passes; then `stop()`.
   */
  drain(): Promise<void>;
  /** Stops taking calls, closes every room, socket, worker and the database. Idempotent. */
  stop(): Promise<void>;
}

/** Starts database, media workers, HTTP and signaling, in that order; undoes what started on failure. */
export async function startTupa(
  config: Config,
  logger: Logger,
  overrides: { signaling?: Partial<SignalingOptions> } = {},
): Promise<TupaServer> {
  const started: Array<() => Promise<void> | void> = [];
  const undo = async () => {
    for (const stop of started.reverse()) await stop();
  };
  try {
    const db = await openDatabase({
      ...(config.databaseUrl ? { url: config.databaseUrl } : {}),
      dataDir: `${config.dataDir}/postgres`,
      embeddedPort: config.embeddedPostgresPort,
      logger: logger.child({ component: 'db' }),
    });
    started.push(() => db.close());

    const media = await MediaServer.start(
      {
        numWorkers: config.media.workers,
        listenIp: config.media.listenIp,
        announcedIp: config.media.announcedIp,
        rtcPort: config.media.rtcPort,
      },
      logger.child({ component: 'media' }),
    );
    started.push(() => media.close());

    const registry = new RoomRegistry(
      media,
      {
        emptyRoomGraceMs: config.emptyRoomGraceMs,
        reconnectGraceMs: config.reconnectGraceMs,
        capacity: config.roomCapacity,
      },
      logger.child({ component: 'rooms' }),
    );

    let draining = false;
    const readiness = (): Readiness => {
      const checks = { database: db.isAvailable(), media: media.workerCount > 0, accepting: !draining };
      return { ready: Object.values(checks).every(Boolean), checks };
    };
    const metrics = new Metrics({ media, rooms: registry });
    const webHandler = await loadWebHandler(config.webBuildDir, logger);
    // One guard for every place a code is typed: the web page's check and the join that follows.
    const codeGuard = new CodeGuessingGuard({ logger: logger.child({ component: 'invitations' }) });
    const shelf = await openBookShelf({
      dataDir: config.dataDir,
      repo: db.books,
      limits: config.books,
      seedShipped: config.books.seedShipped,
      logger: logger.child({ component: 'books' }),
    });
    started.push(() => shelf.close());
    const app = createApp({
      logger: logger.child({ component: 'http' }),
      rooms: db.rooms,
      staff: db.staff,
      staffSessions: db.staffSessions,
      audit: db.audit,
      schedule: db.schedule,
      invitations: db.invitations,
      shelf,
      publicUrl: config.publicUrl,
      publicOrigin: new URL(config.publicUrl).origin,
      readiness,
      metrics: metrics.registry,
      webHandler,
      trustProxy: config.trustProxy,
      codeGuard,
      openRooms: config.openRooms,
      timeZone: config.timeZone,
    });
    const http = createServer(app.callback());
    const signaling = new SignalingServer(
      http,
      {
        registry,
        admissions: createAdmissions({
          rooms: db.rooms,
          invitations: db.invitations,
          staffSessions: db.staffSessions,
          schedule: db.schedule,
          roomCapacity: config.roomCapacity,
          codeGuard,
          openRooms: config.openRooms,
        }),
        logger: logger.child({ component: 'signaling' }),
        isDraining: () => draining,
        iceServersFor: (peerId) => turnCredentials(config.turn, peerId),
        books: createBookCatalogue(db.books),
      },
      {
        ...defaultSignalingOptions,
        allowedOrigins: [new URL(config.publicUrl).origin],
        trustProxy: config.trustProxy,
        ...overrides.signaling,
        // A caller's own hook (the benchmarks' timer) comes in addition to the metrics, never
        // instead: what is measured then includes what the metrics cost.
        onRequestDone: (name, ms, ok) => {
          metrics.observeRequest(name, ms, ok);
          overrides.signaling?.onRequestDone?.(name, ms, ok);
        },
      },
    );
    await listen(http, config.port, config.host);
    // Tell everyone first, then drop sockets: an upgraded WebSocket would keep HTTP from closing.
    started.push(async () => {
      registry.closeAll('server-shutdown');
      await signaling.close();
      await closeHttp(http);
    });

    const address = http.address() as AddressInfo;
    const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${address.port}`;
    let stopping: Promise<void> | undefined;
    const stop = () => {
      draining = true;
      stopping ??= withTimeout(undo(), config.shutdownTimeoutMs, logger);
      return stopping;
    };
    return {
      url,
      config,
      db,
      media,
      registry,
      signaling,
      mediaCounts: () => media.counts(),
      drain: async () => {
        draining = true;
        logger.info({ rooms: registry.size, timeoutMs: config.drainTimeoutMs }, 'draining: waiting for calls to end');
        const deadline = Date.now() + config.drainTimeoutMs;
        while (registry.size > 0 && Date.now() < deadline && !stopping) {
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        await stop();
      },
      stop,
    };
  } catch (error) {
    await undo();
    throw error;
  }
}

function listen(http: HttpServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, host, () => {
      http.off('error', reject);
      resolve();
    });
  });
}

function closeHttp(http: HttpServer): Promise<void> {
  return new Promise((resolve) => {
    http.close(() => resolve());
    http.closeAllConnections();
  });
}

async function withTimeout(work: Promise<void>, ms: number, logger: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      logger.warn({ ms }, 'shutdown did not finish in time');
      resolve();
    }, ms);
  });
  await Promise.race([work, timeout]);
  clearTimeout(timer);
}
