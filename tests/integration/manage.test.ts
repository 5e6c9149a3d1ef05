import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpSession } from '../support/httpClient.ts';
import { staffAccounts } from '../support/staffAccounts.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let t: TestServer;
let coordinator: HttpSession;
let host: HttpSession;
let hostId: string;

beforeAll(async () => {
  t = await startTestServer();
  ({ coordinator, host, hostId } = await staffAccounts(t.url));
});
afterAll(async () => {
  await t?.stop();
});

const storytime = {
  name: 'Satutupa',
  description: 'Picture books with a reading grandparent',
  kind: 'storytime',
  language: 'fi',
  capacity: 4,
  groundRules: 'Be kind. No recording.',
  lobbyEnabled: true,
  childrenPresent: true,
  chatEnabled: false,
};

describe('rooms, sessions and invitations for staff', () => {
  it('lets coordinators create and change rooms, and nobody else', async () => {
    expect((await new HttpSession(t.url).send('GET', '/api/admin/rooms')).status).toBe(401);
    expect((await host.send('POST', '/api/admin/rooms', storytime)).status).toBe(403);
    expect((await coordinator.send('POST', '/api/admin/rooms', { ...storytime, capacity: 500 })).status).toBe(400);
    const created = await coordinator.send('POST', '/api/admin/rooms', storytime);
    expect(created.status).toBe(201);
    expect(created.json.room).toMatchObject({ ...storytime, archived: false });
    const roomId = created.json.room.id as string;
    const patched = await coordinator.send('PATCH', `/api/admin/rooms/${roomId}`, { capacity: 6 });
    expect(patched.json.room.capacity).toBe(6);
    expect((await coordinator.send('GET', '/api/admin/rooms')).json.rooms.map((r: { id: string }) => r.id)).toContain(roomId);
    // A host with no session in the room neither sees nor changes it.
    expect((await host.send('GET', `/api/admin/rooms/${roomId}`)).status).toBe(403);
    expect((await host.send('PATCH', `/api/admin/rooms/${roomId}`, { capacity: 2 })).status).toBe(403);
    expect((await host.send('GET', '/api/admin/rooms')).json.rooms).toEqual([]);
  });

  it('schedules weekly sessions that assigned hosts see, and lets hosts invite guests to them', async () => {
    const room = (await coordinator.send('POST', '/api/admin/rooms', { ...storytime, name: 'Tiistaisadut' })).json.room;
    const startsAt = new Date(Date.now() + 24 * 3600_000);
    startsAt.setUTCMinutes(0, 0, 0);
    const repeatUntil = new Date(startsAt.getTime() + 3 * 7 * 24 * 3600_000);
    const session = await coordinator.send('POST', '/api/admin/sessions', {
      roomId: room.id,
      title: 'Tuesday stories',
      startsAt: startsAt.toISOString(),
      durationMinutes: 45,
      recurrence: 'weekly',
      repeatUntil: repeatUntil.toISOString(),
      hostIds: [hostId],
    });
    expect(session.status).toBe(201);
    expect((await host.send('POST', '/api/admin/sessions', { roomId: room.id, title: 'x', startsAt: startsAt.toISOString(), durationMinutes: 30 })).status).toBe(403);
    // Years outside 2000 to 2999 (a slip of the keyboard, or past what the database holds): a
    // clear 400, nothing stored; the same for the list's `from`.
    for (const times of [
      { startsAt: '9999-12-31T23:00:00Z' },
      { startsAt: '0000-06-01T12:00' },
      { startsAt: '0026-06-01T12:00' },
      { startsAt: startsAt.toISOString(), recurrence: 'weekly', repeatUntil: '9999-12-31T23:30:00Z' },
    ]) {
      const refused = await coordinator.send('POST', '/api/admin/sessions', { roomId: room.id, title: 'Far away', durationMinutes: 30, ...times });
      expect(refused.status).toBe(400);
      expect(refused.json.error.message).toMatch(/^(startsAt|repeatUntil): must be in the years 2000 to 2999$/);
    }
    for (const from of ['0001-01-02T00:00:00Z', '0000-01-01T00:00:00Z', '9999-12-31T23:00:00Z']) {
      expect((await coordinator.send('GET', `/api/admin/sessions?from=${from}`)).status).toBe(400);
    }

    const mine = await host.send('GET', '/api/admin/sessions?days=30');
    expect(mine.json.occurrences).toHaveLength(4);
    expect(mine.json.occurrences[0]).toMatchObject({ title: 'Tuesday stories', roomId: room.id, hostIds: [hostId] });
    expect((await host.send('GET', '/api/admin/rooms')).json.rooms.map((r: { id: string }) => r.id)).toEqual([room.id]);

    // The host invites a grandparent with a simple link; it ends when the last session ends.
    expect((await host.send('POST', `/api/admin/rooms/${room.id}/invitations`, { role: 'host' })).status).toBe(403);
    const invited = await host.send('POST', `/api/admin/rooms/${room.id}/invitations`, {
      role: 'guest',
      simple: true,
      label: 'Mummo Aino',
      sessionId: session.json.session.id,
      validHours: 24 * 90,
    });
    expect(invited.status).toBe(201);
    const { token, code, url, invitation } = invited.json;
    expect(url).toBe(`${t.server.config.publicUrl}/j/${token}`);
    // The last meeting's end as the schedule works it out (on the organisation's clock, so also
    // right when a clock change falls within the three weeks).
    expect(invitation.expiresAt).toBe(session.json.session.lastMeetingEndsAt);

    // Whoever holds the link learns the room and the next session, nothing about people.
    const anonymous = new HttpSession(t.url);
    const described = await anonymous.send('GET', `/api/invitations/${token}`);
    expect(described.status).toBe(200);
    expect(described.json).toMatchObject({
      room: { name: 'Tiistaisadut', kind: 'storytime', language: 'fi', groundRules: 'Be kind. No recording.' },
      role: 'guest',
      simple: true,
      session: { title: 'Tuesday stories', startsAt: startsAt.toISOString() },
    });
    expect(JSON.stringify(described.json)).not.toContain('Mummo');
    const byCode = await anonymous.send('POST', '/api/invitations/by-code', { code: ` ${code.toLowerCase()} ` });
    expect(byCode.status).toBe(200);
    expect(byCode.json.room.name).toBe('Tiistaisadut');

    // A host takes back guest invitations, never a coordinator's host invitation.
    const hostInvitation = (await coordinator.send('POST', `/api/admin/rooms/${room.id}/invitations`, { role: 'host', label: 'Ville' })).json.invitation;
    expect((await host.send('POST', `/api/admin/rooms/${room.id}/invitations/${hostInvitation.id}/revoke`)).status).toBe(403);
    expect((await coordinator.send('GET', `/api/admin/rooms/${room.id}/invitations`)).json.invitations).toContainEqual(
      expect.objectContaining({ id: hostInvitation.id, revoked: false }),
    );

    // Revoked: the link and the code lead nowhere.
    expect((await host.send('POST', `/api/admin/rooms/${room.id}/invitations/${invitation.id}/revoke`)).status).toBe(204);
    expect((await anonymous.send('GET', `/api/invitations/${token}`)).status).toBe(404);
    expect((await anonymous.send('POST', '/api/invitations/by-code', { code })).status).toBe(404);
    const listed = await coordinator.send('GET', `/api/admin/rooms/${room.id}/invitations`);
    expect(listed.json.invitations).toContainEqual(expect.objectContaining({ id: invitation.id, revoked: true, label: 'Mummo Aino' }));
  });

  it('ends a session invitation with the session and an any-time one after its own validity, and says so beforehand', async () => {
    const room = (await coordinator.send('POST', '/api/admin/rooms', { ...storytime, name: 'Torstaisadut' })).json.room;
    const hour = 3600_000;
    const at = (ms: number) => {
      const date = new Date(Date.now() + ms);
      date.setUTCSeconds(0, 0);
      return date;
    };
    const plan = async (body: Record<string, unknown>) => {
      const created = await coordinator.send('POST', '/api/admin/sessions', { roomId: room.id, durationMinutes: 45, ...body });
      expect(created.status).toBe(201);
      return created.json.session.id as string;
    };
    const today = at(2 * hour);
    const onceToday = await plan({ title: 'Today', startsAt: today.toISOString(), hostIds: [hostId] });
    const weeklyStart = at(26 * hour);
    const repeatUntil = new Date(weeklyStart.getTime() + 2 * 7 * 24 * hour);
    const weekly = await plan({ title: 'Three Thursdays', startsAt: weeklyStart.toISOString(), recurrence: 'weekly', repeatUntil: repeatUntil.toISOString() });
    const endless = await plan({ title: 'Every Friday', startsAt: at(50 * hour).toISOString(), recurrence: 'weekly' });
    await plan({ title: 'Yesterday', startsAt: at(-24 * hour).toISOString() });
    const invite = (body: Record<string, unknown>) => coordinator.send('POST', `/api/admin/rooms/${room.id}/invitations`, body);
    // The third Thursday's end as the schedule itself works it out (on the organisation's clock).
    const thursdays = (await coordinator.send('GET', '/api/admin/sessions?days=30')).json.occurrences.filter(
      (o: { sessionId: string }) => o.sessionId === weekly,
    );
    expect(thursdays).toHaveLength(3);
    const lastThursdayEnds = new Date(thursdays[2].endsAt as string).getTime();
    const endsAt = (response: Awaited<ReturnType<typeof invite>>) => new Date(response.json.invitation.expiresAt as string).getTime();

    // What the form is told before anything is made: each coming session once, with its next meeting.
    const before = Date.now();
    const listed = await coordinator.send('GET', `/api/admin/rooms/${room.id}/sessions`);
    expect(listed.status).toBe(200);
    const byTitle = new Map(listed.json.sessions.map((s: { title: string }) => [s.title, s]));
    expect([...byTitle.keys()]).toEqual(['Today', 'Three Thursdays', 'Every Friday']);
    expect(byTitle.get('Today')).toMatchObject({
      sessionId: onceToday,
      weekly: false,
      next: { startsAt: today.toISOString() },
      invitationEndsAt: new Date(today.getTime() + 45 * 60_000).toISOString(),
      invitationEndsWith: 'session',
    });
    expect(byTitle.get('Three Thursdays')).toMatchObject({
      weekly: true,
      next: { startsAt: weeklyStart.toISOString() },
      invitationEndsAt: new Date(lastThursdayEnds).toISOString(),
      invitationEndsWith: 'session',
    });
    const endlessListed = byTitle.get('Every Friday') as { invitationEndsAt: string; invitationEndsWith: string };
    expect(endlessListed.invitationEndsWith).toBe('limit');
    expect(new Date(endlessListed.invitationEndsAt).getTime()).toBeGreaterThanOrEqual(before + 90 * 24 * hour);

    // A session's invitation ends when its (last) meeting ends, not after a default two weeks.
    const forToday = await invite({ role: 'host', sessionId: onceToday });
    expect(forToday.status).toBe(201);
    expect(forToday.json.invitation.sessionId).toBe(onceToday);
    expect(endsAt(forToday)).toBe(today.getTime() + 45 * 60_000);
    expect(endsAt(await invite({ sessionId: weekly }))).toBe(lastThursdayEnds);
    // A weekly session without an end: three months, the longest any invitation works.
    const forEndless = endsAt(await invite({ sessionId: endless }));
    expect(forEndless).toBeGreaterThanOrEqual(before + 90 * 24 * hour);
    expect(forEndless).toBeLessThanOrEqual(Date.now() + 90 * 24 * hour);
    // A shorter validity given with a session still wins, as before.
    expect(endsAt(await invite({ sessionId: weekly, validHours: 48 }))).toBeLessThanOrEqual(Date.now() + 48 * hour);

    // Made right after a session invitation, an any-time host invitation is tied to nothing.
    const start = Date.now();
    const anyTime = await invite({ role: 'host', validHours: 24 * 14 });
    expect(anyTime.status).toBe(201);
    expect(anyTime.json.invitation.sessionId).toBeNull();
    expect(endsAt(anyTime)).toBeGreaterThanOrEqual(start + 14 * 24 * hour);
    expect(endsAt(anyTime)).toBeLessThanOrEqual(Date.now() + 14 * 24 * hour);

    // A session with no meeting left gives no invitation; a session of another room is not found.
    const yesterday = (await coordinator.send('GET', '/api/admin/sessions?days=2&from=' + encodeURIComponent(at(-25 * hour).toISOString()))).json.occurrences.find(
      (o: { title: string; roomId: string }) => o.title === 'Yesterday' && o.roomId === room.id,
    );
    expect((await invite({ sessionId: yesterday.sessionId })).status).toBe(409);
    const other = (await coordinator.send('POST', '/api/admin/rooms', { ...storytime, name: 'Muu huone' })).json.room;
    expect((await coordinator.send('POST', `/api/admin/rooms/${other.id}/invitations`, { sessionId: onceToday })).status).toBe(404);

    // A host sees only the sessions they host, and nothing of a room where they host none.
    const hostView = await host.send('GET', `/api/admin/rooms/${room.id}/sessions`);
    expect(hostView.json.sessions.map((s: { title: string }) => s.title)).toEqual(['Today']);
    expect((await host.send('GET', `/api/admin/rooms/${other.id}/sessions`)).status).toBe(403);
  });

  it('limits code guessing from one address (the rules in detail: code-guessing.test.ts)', async () => {
    const guesser = new HttpSession(t.url);
    const statuses: number[] = [];
    for (let i = 0; i < 13; i++) statuses.push((await guesser.send('POST', '/api/invitations/by-code', { code: 'AAAAA-AAAAA' })).status);
    // Earlier tests typed a wrong code from this address already. (How long each wait lasts, and
    // that every try during one is refused, is shown with exact clocks in the guard's own tests.)
    const firstRefused = statuses.indexOf(429);
    expect(firstRefused).toBeGreaterThanOrEqual(9);
    expect(statuses.slice(0, firstRefused).every((s) => s === 404)).toBe(true);
  });
});
