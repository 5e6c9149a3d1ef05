import { createLogger, loadConfig, startTupa, type TupaServer } from '@tupa/server';
import type { SignalingOptions } from '@tupa/signaling';
import { createTestDatabaseUrl } from './database.ts';
import { freeUdpTcpPort } from './ports.ts';

export interface TestServer {
  url: string;
  server: TupaServer;
  stop(): Promise<void>;
}

/**
 * A whole Tupa on loopback with its own database and one real mediasoup worker. Logs are
 * silent unless TUPA_TEST_LOG_LEVEL is set.
 */
export async function startTestServer(
  options: { env?: Record<string, string>; signaling?: Partial<SignalingOptions> } = {},
): Promise<TestServer> {
  const databaseUrl = await createTestDatabaseUrl();
  const config = loadConfig({
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
    ...options.env,
  });
  const server = await startTupa(config, createLogger(config.logLevel), {
    ...(options.signaling ? { signaling: options.signaling } : {}),
  });
  return { url: server.url, server, stop: () => server.stop() };
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
