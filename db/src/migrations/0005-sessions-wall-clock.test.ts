import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Sequelize } from 'sequelize';
import { createTestDatabaseUrl } from '../../../tests/support/database.ts';
import { createSequelize } from '../connection.ts';
import { openDatabase } from '../database.ts';
import { createMigrator } from '../migrator.ts';
import { silentLogger } from '../test-helpers.ts';

// Sessions planned before wall-clock times were stored: the form had read the coordinator's
// date and time as Helsinki time and sent the instant, and the last week's day as 23.59 of it.

let url: string;
let sequelize: Sequelize;

beforeAll(async () => {
  url = await createTestDatabaseUrl();
  sequelize = createSequelize(url, silentLogger);
  await createMigrator(sequelize, silentLogger).up({ to: '0004-books' });
  await sequelize.query("INSERT INTO rooms (id, name) VALUES ('room-before-the-change', 'Satutupa')");
  const insert = (id: string, startsAt: string, recurrence: string, repeatUntil: string | null) =>
    sequelize.query(
      `INSERT INTO scheduled_sessions (id, room_id, title, starts_at, duration_minutes, recurrence, repeat_until)
       VALUES (:id, 'room-before-the-change', 'Old', :startsAt, 45, :recurrence, :repeatUntil)`,
      { replacements: { id, startsAt, recurrence, repeatUntil } },
    );
  // Thursday 15 October 2026 at 18.00 in Helsinki (summer time), weekly to Thursday 17 December.
  await insert('00000000-0000-4000-8000-000000000001', '2026-10-15T15:00:00Z', 'weekly', '2026-12-17T21:59:00Z');
  // A one-off at 10.00 on 3 February 2027 (winter time), with a stray last day the form never sent.
  await insert('00000000-0000-4000-8000-000000000002', '2027-02-03T08:00:00Z', 'none', '2027-03-01T00:00:00Z');
  // A weekly session without a last day, at 00.30 Helsinki time: the UTC date is the day before.
  await insert('00000000-0000-4000-8000-000000000003', '2026-11-01T22:30:00Z', 'weekly', null);
});
afterAll(async () => {
  await sequelize?.close();
});

describe('0005: sessions keep their wall-clock time', () => {
  test('existing sessions are read on Helsinki\'s clock and keep meeting at the hour that was typed', async () => {
    const db = await openDatabase({ url, dataDir: '/nonexistent', logger: silentLogger });
    try {
      const rows = await db.sequelize.query<Record<string, string | null>>(
        'SELECT id, local_start, time_zone, repeat_until::text AS repeat_until FROM scheduled_sessions ORDER BY id',
        { type: QueryTypes.SELECT },
      );
      expect(rows).toEqual([
        { id: '00000000-0000-4000-8000-000000000001', local_start: '2026-10-15T18:00:00', time_zone: 'Europe/Helsinki', repeat_until: '2026-12-17' },
        { id: '00000000-0000-4000-8000-000000000002', local_start: '2027-02-03T10:00:00', time_zone: 'Europe/Helsinki', repeat_until: null },
        { id: '00000000-0000-4000-8000-000000000003', local_start: '2026-11-02T00:30:00', time_zone: 'Europe/Helsinki', repeat_until: null },
      ]);
      const weekly = await db.schedule.occurrences(new Date('2026-10-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z'), {
        sessionId: '00000000-0000-4000-8000-000000000001',
      });
      // Ten Thursdays at 18.00, the last on 17 December; after 25 October at UTC+2.
      expect(weekly.map((m) => m.startsAt.toISOString())).toEqual([
        '2026-10-15T15:00:00.000Z',
        '2026-10-22T15:00:00.000Z',
        '2026-10-29T16:00:00.000Z',
        '2026-11-05T16:00:00.000Z',
        '2026-11-12T16:00:00.000Z',
        '2026-11-19T16:00:00.000Z',
        '2026-11-26T16:00:00.000Z',
        '2026-12-03T16:00:00.000Z',
        '2026-12-10T16:00:00.000Z',
        '2026-12-17T16:00:00.000Z',
      ]);
      expect((await db.schedule.findById('00000000-0000-4000-8000-000000000002'))?.startsAt.toISOString()).toBe('2027-02-03T08:00:00.000Z');
    } finally {
      await db.close();
    }
  });

  test('reverting gives the last day back as 23.59 of it, in the session\'s zone', async () => {
    const migrator = createMigrator(sequelize, silentLogger);
    await migrator.down({ to: '0005-sessions-wall-clock' });
    try {
      const rows = await sequelize.query<{ repeat_until: Date | null }>(
        'SELECT repeat_until FROM scheduled_sessions ORDER BY id',
        { type: QueryTypes.SELECT },
      );
      expect(rows.map((row) => row.repeat_until?.toISOString() ?? null)).toEqual(['2026-12-17T21:59:00.000Z', null, null]);
    } finally {
      await migrator.up();
    }
  });
});
