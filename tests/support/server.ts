import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, loadConfig, startTupa, type TupaServer } from '@tupa/server';
import type { Logger } from 'pino';
import type { SignalingOptions } from '@tupa/signaling';
import { createTestDatabaseUrl } from './database.ts';
import { freeUdpTcpPort } from './ports.ts';

export interface TestServer {
  url: string;
  server: TupaServer;
  /** TUPA_DATA_DIR of this server (book pages live in its `books/`), unless the caller's env set another. */
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * A whole Tupa on loopback with its own database and one real mediasoup worker. Logs are
 * silent unless TUPA_TEST_LOG_LEVEL is set, or go to `logger` when a test reads them. Open
 * rooms from the start page are on; `env: { TUPA_OPEN_ROOMS: '' }` gives the default (off).
 */
export async function startTestServer(
  options: { env?: Record<string, string>; signaling?: Partial<SignalingOptions>; logger?: Logger } = {},
): Promise<TestServer> {
  const databaseUrl = await createTestDatabaseUrl();
  // Each server keeps its book pages in a directory of its own, removed when it stops.
  const dataDir = await mkdtemp(join(tmpdir(), 'tupa-test-data-'));
  const config = loadConfig({
    TUPA_DATA_DIR: dataDir,
    SHIPPED_BOOKS: 'off',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    MEDIA_LISTEN_IP: '127.0.0.1',
    MEDIA_ANNOUNCED_IP: '127.0.0.1',
    RTC_PORT: String(await freeUdpTcpPort()),
    MEDIA_WORKERS: '1',
    LOG_LEVEL: process.env.TUPA_TEST_LOG_LEVEL ?? 'silent',
    EMPTY_ROOM_GRACE_SECONDS: '0',
    RECONNECT_GRACE_SECONDS: '0',
    // Many tests make their rooms from the start page; a test of the default passes ''.
    TUPA_OPEN_ROOMS: 'on',
    ...options.env,
  });
  let server: TupaServer;
  try {
    server = await startTupa(config, options.logger ?? createLogger(config.logLevel), {
      ...(options.signaling ? { signaling: options.signaling } : {}),
    });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: server.url,
    server,
    dataDir: config.dataDir,
    stop: async () => {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns true or `timeoutMs` passes; returns the last result. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000, stepMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
