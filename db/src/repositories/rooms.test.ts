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
    expect(Object.keys(found ?? {}).sort()).toEqual(['createdAt', 'id']);
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
