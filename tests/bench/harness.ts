import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { startEmbeddedPostgres } from '@tupa/db';
import { createLogger, loadConfig, startTupa, type TupaServer } from '@tupa/server';
import type { SignalingOptions } from '@tupa/signaling';
import { freeUdpTcpPort } from '../support/ports.ts';
import { freeTcpPort } from '../support/ports.ts';

// What the benchmarks need outside vitest: one PostgreSQL for the whole run (TUPA_TEST_DATABASE_URL
// or an embedded one in a temporary directory), a fresh database per server, and a Tupa started
// the way tests/support/server.ts starts it.

/** Limits high enough that a bench's hundreds of sockets from 127.0.0.1 are never refused. */
export const UNLIMITED_SIGNALING: Partial<SignalingOptions> = {
  limits: { requestBurst: 1e9, requestsPerSecond: 1e9, maxViolations: 1e9, connectionsPerAddressPerMinute: 1e6, connectionsPerPlacePerMinute: 1e6 },
};

export interface BenchPostgres {
  /** Creates an empty database on the server and returns its URL. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

/** The run's PostgreSQL: the one in TUPA_TEST_DATABASE_URL, or an embedded one started here. */
export async function startBenchPostgres(): Promise<BenchPostgres> {
  const external = process.env.TUPA_TEST_DATABASE_URL;
  let serverUrl: string;
  let stopServer: () => Promise<void>;
  const created: string[] = [];
  if (external !== undefined && external !== '') {
    serverUrl = external;
    stopServer = async () => {
      await withClient(serverUrl, async (client) => {
        for (const name of created) await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)}`);
      });
    };
  } else {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tupa-bench-postgres-'));
    // As root, PostgreSQL runs as the `postgres` user, which must be able to reach the data dir.
    await chmod(dir, 0o755);
    const embedded = await startEmbeddedPostgres({
      dataDir: path.join(dir, 'data'),
      port: await freeTcpPort(),
      logger: pino({ level: process.env.TUPA_TEST_LOG_LEVEL ?? 'warn' }),
    });
    serverUrl = embedded.url;
    stopServer = async () => {
      await embedded.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }
  return {
    async createDatabase() {
      const name = `tupa_bench_${randomBytes(6).toString('hex')}`;
      await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));
      created.push(name);
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
    stop: () => stopServer(),
  };
}

export interface BenchTupaOptions {
  databaseUrl: string;
  env?: Record<string, string>;
  signaling?: Partial<SignalingOptions>;
}

/** A whole Tupa on loopback with one real mediasoup worker, configured as the tests configure it. */
export async function startBenchTupa(options: BenchTupaOptions): Promise<TupaServer> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: options.databaseUrl,
    MEDIA_LISTEN_IP: '127.0.0.1',
    MEDIA_ANNOUNCED_IP: '127.0.0.1',
    RTC_PORT: String(await freeUdpTcpPort()),
    MEDIA_WORKERS: '1',
    LOG_LEVEL: process.env.TUPA_BENCH_LOG_LEVEL ?? 'silent',
    EMPTY_ROOM_GRACE_SECONDS: '0',
    ...options.env,
  });
  return startTupa(config, createLogger(config.logLevel), options.signaling ? { signaling: options.signaling } : {});
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', (error) => console.warn(`bench database connection lost: ${error.message}`));
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

