import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabaseUrl } from '../../../tests/support/database.ts';
import { openDatabase } from '../database.ts';
import type { Database } from '../database.ts';
import { silentLogger } from '../test-helpers.ts';

let db: Database;

beforeAll(async () => {
  db = await openDatabase({ url: await createTestDatabaseUrl(), dataDir: '/nonexistent', logger: silentLogger });
});

afterAll(async () => {
  await db?.close();
});

describe('rooms repository', () => {
  test('create gives distinct 22-character base64url ids stamped by the database clock', async () => {
    const before = Date.now();
    const rooms = await Promise.all(Array.from({ length: 40 }, () => db.rooms.create()));
    const ids = new Set(rooms.map((room) => room.id));
    expect(ids.size).toBe(40);
    for (const room of rooms) {
      expect(room.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(room.createdAt).toBeInstanceOf(Date);
      // Generous window: the stamp comes from the server, whose clock is this machine's.
      expect(Math.abs(room.createdAt.getTime() - before)).toBeLessThan(60_000);
    }
  });

  test('findById returns the created room as a plain record', async () => {
    const created = await db.rooms.create();
    const found = await db.rooms.findById(created.id);
    expect(found).toEqual(created);
    expect(Object.getPrototypeOf(found)).toBe(Object.prototype);
    expect(Object.keys(found ?? {}).sort()).toEqual([
      'archived', 'capacity', 'chatEnabled', 'childrenPresent', 'createdAt', 'createdBy', 'description',
      'groundRules', 'id', 'kind', 'language', 'lobbyEnabled', 'name',
    ]);
    // A room made from the start page gets safe defaults: lobby on, a normal group size.
    expect(found).toMatchObject({ kind: 'open', lobbyEnabled: true, capacity: 12, childrenPresent: false, createdBy: null });
  });

  test('update changes settings and archives; list shows staff rooms only', async () => {
    const staffId = '00000000-0000-4000-8000-000000000001';
    await db.sequelize.query(
      `INSERT INTO staff_users (id, email, display_name, role, password_hash) VALUES ('${staffId}', 'r@example.org', 'R', 'host', 'x')`,
    );
    const room = await db.rooms.create({ name: 'Satutupa', kind: 'storytime', childrenPresent: true }, staffId);
    expect(room).toMatchObject({ name: 'Satutupa', kind: 'storytime', childrenPresent: true, createdBy: staffId });
    const updated = await db.rooms.update(room.id, { capacity: 4, groundRules: 'Be kind.' });
    expect(updated).toMatchObject({ capacity: 4, groundRules: 'Be kind.', name: 'Satutupa' });
    expect((await db.rooms.list()).map((r) => r.id)).toContain(room.id);
    await db.rooms.update(room.id, { archived: true });
    expect((await db.rooms.list()).map((r) => r.id)).not.toContain(room.id);
    expect((await db.rooms.list({ includeArchived: true })).map((r) => r.id)).toContain(room.id);
    expect(await db.rooms.update('AAAAAAAAAAAAAAAAAAAAAA', { name: 'x' })).toBeNull();
  });

  test('findById gives null for an unknown id and for one that cannot be an id', async () => {
    expect(await db.rooms.findById('AAAAAAAAAAAAAAAAAAAAAA')).toBeNull();
    expect(await db.rooms.findById('')).toBeNull();
    expect(await db.rooms.findById("x' OR '1'='1")).toBeNull();
  });

  test('findById rejects a non-string id with a TypeError', async () => {
    await expect(db.rooms.findById(42 as unknown as string)).rejects.toThrow(TypeError);
  });
});
