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

/** How a clock in `timeZone` shows each instant: "Thu 18:00". */
const wallClock = (timeZone: string, instants: Date[]) => {
  const format = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return [...new Set(instants.map((instant) => format.format(instant).replace(',', '')))];
};
const iso = (instants: { startsAt: Date }[]) => instants.map((o) => o.startsAt.toISOString());

describe('scheduled sessions', () => {
  test('a weekly session expands into one occurrence a week until its last day, and filters by host and session', async () => {
    const room = await db.rooms.create({ name: 'Vertaisryhmä', kind: 'peer-group' }, hostId);
    const weekly = await db.schedule.create(
      {
        roomId: room.id,
        title: 'Tuesday parents',
        localStart: '2026-12-01T18:00',
        timeZone: 'Europe/Helsinki',
        durationMinutes: 90,
        recurrence: 'weekly',
        repeatUntil: '2026-12-22',
        hostIds: [hostId, hostId],
      },
      hostId,
    );
    expect(weekly).toMatchObject({
      hostIds: [hostId],
      localStart: '2026-12-01T18:00:00',
      repeatUntil: '2026-12-22',
      startsAt: new Date('2026-12-01T16:00:00Z'),
      // The last day is inclusive: its meeting is the last one.
      lastMeetingEndsAt: new Date('2026-12-22T17:30:00Z'),
    });
    expect(await db.schedule.findById(weekly.id)).toEqual(weekly);
    const once = await db.schedule.create(
      {
        roomId: room.id,
        title: 'Once',
        localStart: '2026-12-01T20:00',
        timeZone: 'Europe/Helsinki',
        durationMinutes: 30,
        recurrence: 'none',
        repeatUntil: null,
        hostIds: [otherHostId],
      },
      null,
    );
    expect(once.lastMeetingEndsAt?.toISOString()).toBe('2026-12-01T18:30:00.000Z');
    const all = await db.schedule.occurrences(new Date('2026-11-01T00:00:00Z'), new Date('2027-02-01T00:00:00Z'));
    expect(iso(all.filter((o) => o.sessionId === weekly.id))).toEqual([
      '2026-12-01T16:00:00.000Z',
      '2026-12-08T16:00:00.000Z',
      '2026-12-15T16:00:00.000Z',
      '2026-12-22T16:00:00.000Z',
    ]);
    expect(all.find((o) => o.sessionId === once.id)?.endsAt.toISOString()).toBe('2026-12-01T18:30:00.000Z');
    // An occurrence already running at `from` is included; one that ended is not.
    const during = await db.schedule.occurrences(new Date('2026-12-08T17:00:00Z'), new Date('2026-12-09T00:00:00Z'));
    expect(iso(during)).toEqual(['2026-12-08T16:00:00.000Z']);
    const mine = await db.schedule.occurrences(new Date('2026-11-01T00:00:00Z'), new Date('2027-02-01T00:00:00Z'), { hostId: otherHostId });
    expect(mine.map((o) => o.sessionId)).toEqual([once.id]);
    const one = await db.schedule.occurrences(new Date('2026-11-01T00:00:00Z'), new Date('2027-02-01T00:00:00Z'), { sessionId: weekly.id });
    expect(one).toHaveLength(4);
    expect(await db.schedule.occurrences(new Date(0), new Date('2030-01-01T00:00:00Z'), { sessionId: 'not-a-uuid' })).toEqual([]);
    expect(await db.schedule.delete(weekly.id)).toBe(true);
    expect(await db.schedule.findById(weekly.id)).toBeNull();
    expect(await db.schedule.delete('not-a-uuid')).toBe(false);
  });

  test('a weekly Thursday 18.00 Helsinki session made in October stays at 18.00 after the clocks go back, for two years', async () => {
    const room = await db.rooms.create({ name: 'Satutupa', kind: 'storytime' }, hostId);
    const session = await db.schedule.create(
      {
        roomId: room.id,
        title: 'Thursday stories',
        localStart: '2026-10-15T18:00',
        timeZone: 'Europe/Helsinki',
        durationMinutes: 45,
        recurrence: 'weekly',
        repeatUntil: null,
        hostIds: [],
      },
      hostId,
    );
    const meetings = await db.schedule.occurrences(new Date('2026-10-01T00:00:00Z'), new Date('2028-11-15T00:00:00Z'), {
      sessionId: session.id,
    });
    // Every Thursday from 15 October 2026 to 9 November 2028, each at 18.00 on Helsinki's clock,
    // across the changes of 25 October 2026, 28 March 2027, 31 October 2027, 26 March 2028 and
    // 29 October 2028.
    expect(meetings).toHaveLength(109);
    expect(wallClock('Europe/Helsinki', meetings.map((m) => m.startsAt))).toEqual(['Thu 18:00']);
    const starts = iso(meetings);
    expect(starts).toEqual(
      expect.arrayContaining([
        '2026-10-22T15:00:00.000Z', // summer time, UTC+3
        '2026-10-29T16:00:00.000Z', // the first Thursday after the change: UTC+2, still 18.00
        '2027-03-25T16:00:00.000Z',
        '2027-04-01T15:00:00.000Z',
        '2027-10-28T15:00:00.000Z',
        '2027-11-04T16:00:00.000Z',
        '2028-03-23T16:00:00.000Z',
        '2028-03-30T15:00:00.000Z',
        '2028-10-26T15:00:00.000Z',
        '2028-11-02T16:00:00.000Z',
      ]),
    );
    // Each meeting ends 45 minutes after it starts, also in the week of a change.
    expect(meetings.every((m) => m.endsAt.getTime() - m.startsAt.getTime() === 45 * 60_000)).toBe(true);
  });

  test('a weekly March session stays at 18.00 after the clocks go forward, up to and including its last day', async () => {
    const room = await db.rooms.create({ name: 'Isovanhemmat', kind: 'storytime' }, hostId);
    const session = await db.schedule.create(
      {
        roomId: room.id,
        title: 'Spring readers',
        localStart: '2027-03-04T18:00',
        timeZone: 'Europe/Helsinki',
        durationMinutes: 60,
        recurrence: 'weekly',
        repeatUntil: '2028-11-30',
        hostIds: [],
      },
      hostId,
    );
    const meetings = await db.schedule.occurrences(new Date('2027-01-01T00:00:00Z'), new Date('2029-06-01T00:00:00Z'), {
      sessionId: session.id,
    });
    expect(wallClock('Europe/Helsinki', meetings.map((m) => m.startsAt))).toEqual(['Thu 18:00']);
    const starts = iso(meetings);
    expect(starts.slice(0, 5)).toEqual([
      '2027-03-04T16:00:00.000Z',
      '2027-03-11T16:00:00.000Z',
      '2027-03-18T16:00:00.000Z',
      '2027-03-25T16:00:00.000Z',
      '2027-04-01T15:00:00.000Z', // after 28 March: UTC+3, still 18.00
    ]);
    expect(starts).toEqual(expect.arrayContaining(['2027-11-04T16:00:00.000Z', '2028-03-30T15:00:00.000Z', '2028-11-02T16:00:00.000Z']));
    // 30 November 2028 is a Thursday: the last day counts.
    expect(starts.at(-1)).toBe('2028-11-30T16:00:00.000Z');
    expect(meetings).toHaveLength(92);
    expect((await db.schedule.findById(session.id))?.lastMeetingEndsAt?.toISOString()).toBe('2028-11-30T17:00:00.000Z');
  });

  test('a New York session follows New York\'s own clock changes, on other dates than Helsinki\'s', async () => {
    const room = await db.rooms.create({ name: 'Family evening', kind: 'peer-group' }, hostId);
    const session = await db.schedule.create(
      {
        roomId: room.id,
        title: 'Monday parents',
        localStart: '2026-10-05T19:00',
        timeZone: 'America/New_York',
        durationMinutes: 60,
        recurrence: 'weekly',
        repeatUntil: '2027-12-31',
        hostIds: [],
      },
      hostId,
    );
    const meetings = await db.schedule.occurrences(new Date('2026-10-01T00:00:00Z'), new Date('2028-01-15T00:00:00Z'), {
      sessionId: session.id,
    });
    expect(wallClock('America/New_York', meetings.map((m) => m.startsAt))).toEqual(['Mon 19:00']);
    expect(iso(meetings)).toEqual(
      expect.arrayContaining([
        // Europe went back on 25 October; New York only on 1 November.
        '2026-10-26T23:00:00.000Z',
        '2026-11-03T00:00:00.000Z',
        // New York goes forward on 14 March 2027, Europe on 28 March.
        '2027-03-09T00:00:00.000Z',
        '2027-03-15T23:00:00.000Z',
        '2027-11-01T23:00:00.000Z',
        '2027-11-09T00:00:00.000Z',
      ]),
    );
    expect(iso(meetings).at(-1)).toBe('2027-12-28T00:00:00.000Z');
  });

  test('around the spring-forward hour: a one-off 03.30 comes an hour later, a weekly 03.30 skips that night (RFC 5545)', async () => {
    const room = await db.rooms.create({ name: 'Night owls', kind: 'peer-group' }, hostId);
    const base = { roomId: room.id, timeZone: 'Europe/Helsinki', durationMinutes: 30, hostIds: [] };
    // 03.00 becomes 04.00 in Helsinki on 28 March 2027: 03.30 does not exist that night.
    const once = await db.schedule.create(
      { ...base, title: 'Once', localStart: '2027-03-28T03:30', recurrence: 'none', repeatUntil: null },
      hostId,
    );
    expect(once.startsAt.toISOString()).toBe('2027-03-28T01:30:00.000Z'); // 04.30 summer time
    const weekly = await db.schedule.create(
      { ...base, title: 'Weekly', localStart: '2027-03-14T03:30', recurrence: 'weekly', repeatUntil: '2027-04-11' },
      hostId,
    );
    const meetings = await db.schedule.occurrences(new Date('2027-03-01T00:00:00Z'), new Date('2027-05-01T00:00:00Z'), {
      sessionId: weekly.id,
    });
    expect(iso(meetings)).toEqual([
      '2027-03-14T01:30:00.000Z',
      '2027-03-21T01:30:00.000Z',
      '2027-04-04T00:30:00.000Z',
      '2027-04-11T00:30:00.000Z',
    ]);
  });

  test('one listing holds at most 500 meetings, the earliest ones', async () => {
    const room = await db.rooms.create({ name: 'Endless', kind: 'open' }, hostId);
    const session = await db.schedule.create(
      {
        roomId: room.id,
        title: 'Every week for ever',
        localStart: '2026-01-05T10:00',
        timeZone: 'Europe/Helsinki',
        durationMinutes: 30,
        recurrence: 'weekly',
        repeatUntil: null,
        hostIds: [],
      },
      hostId,
    );
    const meetings = await db.schedule.occurrences(new Date('2026-01-01T00:00:00Z'), new Date('2100-01-01T00:00:00Z'), { roomId: room.id });
    expect(meetings).toHaveLength(500);
    expect(meetings[0]?.startsAt.toISOString()).toBe('2026-01-05T08:00:00.000Z');
    expect(meetings.every((m) => m.sessionId === session.id)).toBe(true);
    expect(wallClock('Europe/Helsinki', meetings.map((m) => m.startsAt))).toEqual(['Mon 10:00']);
  });

  test('refuses times that are not wall-clock times, unknown zones and a last day before the first meeting', async () => {
    const room = await db.rooms.create({ name: 'Typos', kind: 'open' }, hostId);
    const base = {
      roomId: room.id,
      title: 'x',
      localStart: '2027-01-07T18:00',
      timeZone: 'Europe/Helsinki',
      durationMinutes: 30,
      recurrence: 'weekly' as const,
      repeatUntil: null,
      hostIds: [],
    };
    await expect(db.schedule.create({ ...base, localStart: '2027-01-07T18:00:00Z' }, null)).rejects.toThrow(TypeError);
    await expect(db.schedule.create({ ...base, localStart: '2027-02-30T18:00' }, null)).rejects.toThrow(TypeError);
    await expect(db.schedule.create({ ...base, timeZone: 'Europe/Helsinky' }, null)).rejects.toThrow(TypeError);
    await expect(db.schedule.create({ ...base, repeatUntil: '2027-01-06' }, null)).rejects.toThrow(TypeError);
    // A one-off session has no last day to keep.
    const once = await db.schedule.create({ ...base, recurrence: 'none', repeatUntil: '2027-05-01' }, null);
    expect(once.repeatUntil).toBeNull();
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
