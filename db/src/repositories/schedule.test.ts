import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabaseUrl } from '../../../tests/support/database.ts';
import { openDatabase, type Database } from '../database.ts';
import { normaliseJoinCode } from '../ids.ts';
import { silentLogger } from '../test-helpers.ts';

let db: Database;
let hostId: string;
let otherHostId: string;

beforeAll(async () => {
  db = await openDatabase({ url: await createTestDatabaseUrl(), dataDir: '/nonexistent', logger: silentLogger });
  hostId = (await db.staff.create({ email: 'h1@example.org', displayName: 'H1', role: 'host', passwordHash: 'x' })).id;
  otherHostId = (await db.staff.create({ email: 'h2@example.org', displayName: 'H2', role: 'host', passwordHash: 'x' })).id;
});
afterAll(async () => {
  await db?.close();
});

const hour = 3600_000;
const week = 7 * 24 * hour;

describe('scheduled sessions', () => {
  test('a weekly session expands into one occurrence a week until its end, and filters by host', async () => {
    const room = await db.rooms.create({ name: 'Vertaisryhmä', kind: 'peer-group' }, hostId);
    const startsAt = new Date('2026-12-01T16:00:00Z');
    const weekly = await db.schedule.create(
      {
        roomId: room.id,
        title: 'Tuesday parents',
        startsAt,
        durationMinutes: 90,
        recurrence: 'weekly',
        repeatUntil: new Date(startsAt.getTime() + 3 * week),
        hostIds: [hostId, hostId],
      },
      hostId,
    );
    expect(weekly.hostIds).toEqual([hostId]);
    const once = await db.schedule.create(
      { roomId: room.id, title: 'Once', startsAt: new Date(startsAt.getTime() + 2 * hour), durationMinutes: 30, recurrence: 'none', repeatUntil: null, hostIds: [otherHostId] },
      null,
    );
    const all = await db.schedule.occurrences(new Date('2026-11-01T00:00:00Z'), new Date('2027-02-01T00:00:00Z'));
    expect(all.filter((o) => o.sessionId === weekly.id).map((o) => o.startsAt.toISOString())).toEqual([
      '2026-12-01T16:00:00.000Z',
      '2026-12-08T16:00:00.000Z',
      '2026-12-15T16:00:00.000Z',
      '2026-12-22T16:00:00.000Z',
    ]);
    expect(all.find((o) => o.sessionId === once.id)?.endsAt.toISOString()).toBe('2026-12-01T18:30:00.000Z');
    // An occurrence already running at `from` is included; one that ended is not.
    const during = await db.schedule.occurrences(new Date('2026-12-08T17:00:00Z'), new Date('2026-12-09T00:00:00Z'));
    expect(during.map((o) => o.startsAt.toISOString())).toEqual(['2026-12-08T16:00:00.000Z']);
    const mine = await db.schedule.occurrences(new Date('2026-11-01T00:00:00Z'), new Date('2027-02-01T00:00:00Z'), { hostId: otherHostId });
    expect(mine.map((o) => o.sessionId)).toEqual([once.id]);
    expect(await db.schedule.delete(weekly.id)).toBe(true);
    expect(await db.schedule.findById(weekly.id)).toBeNull();
    expect(await db.schedule.delete('not-a-uuid')).toBe(false);
  });
});

describe('invitations', () => {
  test('a link token and a typed code find the invitation until it expires or is revoked', async () => {
    const room = await db.rooms.create({ name: 'Satutupa', kind: 'storytime' }, hostId);
    const { invitation, token, code } = await db.invitations.create({
      roomId: room.id,
      sessionId: null,
      role: 'guest',
      simple: true,
      label: 'Mummo',
      expiresAt: new Date(Date.now() + hour),
      createdBy: hostId,
    });
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(code).toMatch(/^[A-HJKMNP-Z2-9]{5}-[A-HJKMNP-Z2-9]{5}$/);
    expect(await db.invitations.findValidByToken(token)).toEqual(invitation);
    // Typed codes forgive case, spaces and dashes.
    expect(await db.invitations.findValidByCode(code.toLowerCase().replace('-', ' '))).toEqual(invitation);
    expect(await db.invitations.findValidByCode('AAAAA-AAAAA')).toBeNull();
    expect(normaliseJoinCode('O0O0O-11111')).toBeNull();
    // Neither secret is stored.
    const stored = await db.sequelize.query<Record<string, string>>('SELECT token_hash, code_hash FROM invitations', { type: QueryTypes.SELECT });
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(JSON.stringify(stored)).not.toContain(code.replace('-', ''));

    expect(await db.invitations.revoke(invitation.id)).toBe(true);
    expect(await db.invitations.findValidByToken(token)).toBeNull();
    expect(await db.invitations.findValidByCode(code)).toBeNull();
    expect((await db.invitations.listForRoom(room.id))[0]?.revoked).toBe(true);

    const expired = await db.invitations.create({
      roomId: room.id, sessionId: null, role: 'host', simple: false, label: '', expiresAt: new Date(Date.now() - 1000), createdBy: null,
    });
    expect(await db.invitations.findValidByToken(expired.token)).toBeNull();
  });

  test('codes are spread over the whole alphabet', async () => {
    const { newJoinCode } = await import('../ids.ts');
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) for (const c of newJoinCode().replace('-', '')) seen.add(c);
    expect(seen.size).toBe(31);
  });
});
