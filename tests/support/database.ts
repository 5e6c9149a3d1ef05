import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** Creates an empty database for the calling test file on the run's PostgreSQL server and returns its URL. */
export async function createTestDatabaseUrl(): Promise<string> {
  const serverUrl = inject('postgresUrl');
  // Kept in step with TEST_DATABASE_PREFIX in global-postgres.ts, which drops these on shared servers.
  const name = `tupa_test_${randomBytes(8).toString('hex')}`;
  const client = new pg.Client({ connectionString: serverUrl });
  client.on('error', (error) => console.warn(`test database connection lost: ${error.message}`));
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
