import { QueryTypes } from 'sequelize';
import { describe, expect, test } from 'vitest';
import { createTestDatabaseUrl } from '../../tests/support/database.ts';
import { openDatabase } from './database.ts';
import { createMigrator } from './migrator.ts';
import { captureLogger, silentLogger } from './test-helpers.ts';
import { migrations } from './migrations/index.ts';

const allMigrations = migrations.map((migration) => migration.name);

// Only used when no url is given; these tests always pass one.
const UNUSED_DATA_DIR = '/nonexistent/tupa-postgres';

interface ColumnRow {
  column_name: string;
  data_type: string;
  is_nullable: string;
  column_default: string | null;
}

describe('migrations', () => {
  test('an empty database gets the rooms table, and reopening it applies nothing', async () => {
    const url = await createTestDatabaseUrl();
    const first = captureLogger();
    const db = await openDatabase({ url, dataDir: UNUSED_DATA_DIR, logger: first.logger });
    try {
      const columns = await db.sequelize.query<ColumnRow>(
        `SELECT column_name, data_type, is_nullable, column_default
           FROM information_schema.columns WHERE table_name = 'rooms' ORDER BY ordinal_position`,
        { type: QueryTypes.SELECT },
      );
      expect(columns.slice(0, 2)).toEqual([
        { column_name: 'id', data_type: 'text', is_nullable: 'NO', column_default: null },
        { column_name: 'created_at', data_type: 'timestamp with time zone', is_nullable: 'NO', column_default: 'now()' },
      ]);
      // Later migrations add the settings coordinators choose, each with a default.
      expect(columns.map((c) => c.column_name)).toEqual(
        expect.arrayContaining(['name', 'kind', 'language', 'capacity', 'lobby_enabled', 'children_present', 'chat_enabled']),
      );
      const primaryKey = await db.sequelize.query<{ column_name: string }>(
        `SELECT kcu.column_name FROM information_schema.table_constraints tc
           JOIN information_schema.key_column_usage kcu USING (constraint_name, table_name)
          WHERE tc.table_name = 'rooms' AND tc.constraint_type = 'PRIMARY KEY'`,
        { type: QueryTypes.SELECT },
      );
      expect(primaryKey).toEqual([{ column_name: 'id' }]);
      expect(first.entries.find((entry) => entry.msg === 'database migrated')).toMatchObject({
        migrations: allMigrations,
      });
      const room = await db.rooms.create();
      await db.close();

      const second = captureLogger();
      const reopened = await openDatabase({ url, dataDir: UNUSED_DATA_DIR, logger: second.logger });
      try {
        expect(second.messages()).not.toContain('database migrated');
        const recorded = await reopened.sequelize.query<{ name: string }>('SELECT name FROM schema_migrations', {
          type: QueryTypes.SELECT,
        });
        expect(recorded).toEqual(allMigrations.map((name) => ({ name })));
        expect(await reopened.rooms.findById(room.id)).toEqual(room);
      } finally {
        await reopened.close();
      }
    } finally {
      await db.close();
    }
  });

  test('processes opening one empty database at the same time migrate it exactly once', async () => {
    const url = await createTestDatabaseUrl();
    const logs = [captureLogger(), captureLogger(), captureLogger()];
    const dbs = await Promise.all(logs.map(({ logger }) => openDatabase({ url, dataDir: UNUSED_DATA_DIR, logger })));
    try {
      const migratedCount = logs.filter((log) => log.messages().includes('database migrated')).length;
      expect(migratedCount).toBe(1);
      const rooms = await Promise.all(dbs.map((db) => db.rooms.create()));
      expect(await dbs[0]?.rooms.findById(rooms[2]?.id ?? '')).toEqual(rooms[2]);
    } finally {
      await Promise.all(dbs.map((db) => db.close()));
    }
  });

  test('every migration can be reverted, leaving only the bookkeeping table', async () => {
    const url = await createTestDatabaseUrl();
    const db = await openDatabase({ url, dataDir: UNUSED_DATA_DIR, logger: silentLogger });
    try {
      const reverted = await createMigrator(db.sequelize, silentLogger).down({ to: 0 });
      expect(reverted.map((migration) => migration.name)).toEqual([...allMigrations].reverse());
      // pg_tables, not information_schema.tables: Sequelize rewrites results of queries naming the latter.
      const tables = await db.sequelize.query<{ tablename: string }>(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
        { type: QueryTypes.SELECT },
      );
      expect(tables).toEqual([{ tablename: 'schema_migrations' }]);
    } finally {
      await db.close();
    }
  });
});
