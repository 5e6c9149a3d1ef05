import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '@tupa/db';
import { freeTcpPort as freePort } from './ports.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Server-level URL; tests call createTestDatabaseUrl() for a database of their own. */
    postgresUrl: string;
  }
}

const TEST_DATABASE_PREFIX = 'tupa_test_';

/**
 * One PostgreSQL for the whole run: the server in TUPA_TEST_DATABASE_URL, or an embedded one in a
 * fresh temporary directory on a free port, stopped (and its directory removed) in teardown.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const externalUrl = process.env.TUPA_TEST_DATABASE_URL;
  if (externalUrl !== undefined && externalUrl !== '') {
    const before = new Set(await listTestDatabases(externalUrl));
    project.provide('postgresUrl', externalUrl);
    return () => dropTestDatabasesCreatedSince(externalUrl, before);
  }

  const dir = await mkdtemp(path.join(os.tmpdir(), 'tupa-test-postgres-'));
  // Run as root, PostgreSQL runs as the `postgres` user, which must be able to reach the data dir.
  await chmod(dir, 0o755);
  const logger = pino({ level: process.env.TUPA_TEST_LOG_LEVEL ?? 'warn' });
  const server = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), port: await freePort(), logger });
  project.provide('postgresUrl', server.url);
  return async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', (error) => console.warn(`test database connection lost: ${error.message}`));
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function listTestDatabases(url: string): Promise<string[]> {
  return withClient(url, async (client) => {
    const result = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE starts_with(datname, $1)",
      [TEST_DATABASE_PREFIX],
    );
    return result.rows.map((row) => row.datname);
  });
}

/** On a shared server, remove what this run created so databases do not pile up run after run. */
async function dropTestDatabasesCreatedSince(url: string, before: Set<string>): Promise<void> {
  const created = (await listTestDatabases(url)).filter((name) => !before.has(name));
  await withClient(url, async (client) => {
    for (const name of created) {
      try {
        await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)}`);
      } catch (error) {
        console.warn(`could not drop test database ${name}: ${(error as Error).message}`);
      }
    }
  });
}
