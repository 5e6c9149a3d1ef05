import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, test } from 'vitest';
import { startEmbeddedPostgres } from './embedded.ts';
import type { EmbeddedPostgresServer } from './embedded.ts';
import { captureLogger, freePort, makeTempDir, postgresProcessesOf } from './test-helpers.ts';

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('embedded PostgreSQL', () => {
  test('initialises an empty directory once, reuses it on the next start, and leaves no process behind', async () => {
    const temp = await makeTempDir();
    cleanups.push(temp.remove);
    const dataDir = path.join(temp.dir, 'postgres');
    const port = await freePort();
    const first = captureLogger();

    let server: EmbeddedPostgresServer | undefined = await startEmbeddedPostgres({ dataDir, port, logger: first.logger });
    cleanups.push(() => server?.stop() ?? Promise.resolve());
    const password = new URL(server.url).password;
    expect(first.messages()).toContain('initialising embedded PostgreSQL data directory');
    expect(existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(true);
    expect((await stat(`${dataDir}.password`)).mode & 0o777).toBe(0o600);
    expect(new URL(server.url).hostname).toBe('127.0.0.1');
    expect(await query(server.url, 'SELECT current_database() AS name')).toEqual([{ name: 'tupa' }]);
    expect(await query(server.url, 'SHOW listen_addresses')).toEqual([{ listen_addresses: '127.0.0.1' }]);
    expect(await query(server.url, 'SHOW server_encoding')).toEqual([{ server_encoding: 'UTF8' }]);
    await query(server.url, 'CREATE TABLE survives_restart (n int)');
    expect(await postgresProcessesOf(dataDir)).toHaveLength(1);

    await server.stop();
    await server.stop(); // idempotent
    expect(await postgresProcessesOf(dataDir)).toEqual([]);

    const second = captureLogger();
    server = await startEmbeddedPostgres({ dataDir, port, logger: second.logger });
    expect(second.messages()).not.toContain('initialising embedded PostgreSQL data directory');
    expect(second.messages()).toContain('embedded PostgreSQL started');
    expect(await query(server.url, "SELECT to_regclass('survives_restart') IS NOT NULL AS kept")).toEqual([
      { kept: true },
    ]);
    expect(new URL(server.url).password).toBe(password);
    await server.stop();
    server = undefined;
    expect(await postgresProcessesOf(dataDir)).toEqual([]);

    // The generated password is reused, and kept out of the logs.
    const everything = JSON.stringify([...first.entries, ...second.entries]);
    expect(password.length).toBeGreaterThanOrEqual(32);
    expect(everything).not.toContain(password);
  });

  test('a start on a busy port fails with the server output and leaves no process behind', async () => {
    const temp = await makeTempDir();
    cleanups.push(temp.remove);
    const dataDir = path.join(temp.dir, 'postgres');
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const busyPort = (blocker.address() as net.AddressInfo).port;

    await expect(
      startEmbeddedPostgres({ dataDir, port: busyPort, logger: captureLogger().logger }),
    ).rejects.toThrow(/did not start[\s\S]*could not (bind|create listen socket)/);
    expect(await postgresProcessesOf(dataDir)).toEqual([]);
  });
});
