import path from 'node:path';
import { describe, expect, test, vi } from 'vitest';
import { openDatabase } from './database.ts';
import { startEmbeddedPostgres } from './embedded.ts';
import { startHealthMonitor } from './health.ts';
import { captureLogger, freePort, makeTempDir, postgresProcessesOf } from './test-helpers.ts';

describe('database across a PostgreSQL restart', () => {
  test('probes report the outage and the recovery, and queries work again without reopening', async () => {
    const temp = await makeTempDir();
    const dataDir = path.join(temp.dir, 'postgres');
    const port = await freePort();
    const log = captureLogger();
    let server = await startEmbeddedPostgres({ dataDir, port, logger: log.logger });
    const db = await openDatabase({ url: server.url, dataDir, logger: log.logger });
    // A fast loop beside the built-in one, to see the periodic probe notice on its own.
    const monitor = startHealthMonitor({
      sequelize: db.sequelize,
      logger: log.logger.child({ component: 'db', loop: 'fast' }),
      intervalMs: 50,
    });
    try {
      // Several idle pooled connections, each of which the shutdown will terminate under it.
      const rooms = await Promise.all(Array.from({ length: 6 }, () => db.rooms.create()));
      expect(await db.probe()).toBe(true);

      // Connections being opened while the server goes down must fail quietly too.
      const probesDuringStop = Array.from({ length: 8 }, () => db.probe());
      await server.stop();
      await Promise.all(probesDuringStop);

      expect(await db.probe()).toBe(false);
      expect(db.isAvailable()).toBe(false);
      await expect(db.rooms.create()).rejects.toThrow();
      await vi.waitFor(() => expect(monitor.isAvailable()).toBe(false), { timeout: 5_000 });

      server = await startEmbeddedPostgres({ dataDir, port, logger: log.logger });
      expect(await db.probe()).toBe(true);
      expect(db.isAvailable()).toBe(true);
      expect(await db.rooms.findById(rooms[0]?.id ?? '')).toEqual(rooms[0]);
      const created = await db.rooms.create();
      expect(await db.rooms.findById(created.id)).toEqual(created);
      await vi.waitFor(() => expect(monitor.isAvailable()).toBe(true), { timeout: 5_000 });

      const dbLogs = log.entries.filter((entry) => entry.component === 'db');
      const unavailable = dbLogs.filter((entry) => entry.msg === 'database unavailable');
      // db's own monitor and the fast one above each tell of the outage and then of the recovery,
      // and never twice the same in a row. (A server still stopping may answer a probe once more
      // on a busy machine: that is a change too, and is told as one.)
      for (const fast of [false, true]) {
        const notices = dbLogs
          .filter((entry) => (entry.loop === 'fast') === fast)
          .map((entry) => entry.msg)
          .filter((msg) => msg === 'database unavailable' || msg === 'database available again');
        expect(notices[0]).toBe('database unavailable');
        expect(notices.at(-1)).toBe('database available again');
        expect(notices.filter((msg, i) => i > 0 && msg === notices[i - 1])).toEqual([]);
      }
      expect(unavailable[0]).toMatchObject({ level: 40, err: { name: expect.any(String), message: expect.any(String) } });
      expect(dbLogs.find((entry) => entry.msg === 'database available again')).toMatchObject({ level: 30 });
      expect(JSON.stringify(log.entries)).not.toContain(new URL(server.url).password);
    } finally {
      monitor.stop();
      await db.close();
      await server.stop();
      await temp.remove();
    }
  });

  test('close() stops the embedded server that openDatabase started', async () => {
    const temp = await makeTempDir();
    try {
      const dataDir = path.join(temp.dir, 'postgres');
      const db = await openDatabase({ dataDir, embeddedPort: await freePort(), logger: captureLogger().logger });
      expect(await db.probe()).toBe(true);
      expect(await postgresProcessesOf(dataDir)).toHaveLength(1);
      await db.close();
      expect(await postgresProcessesOf(dataDir)).toEqual([]);
      expect(db.isAvailable()).toBe(false);
      expect(await db.probe()).toBe(false);
      await db.close(); // idempotent
    } finally {
      await temp.remove();
    }
  });
});
