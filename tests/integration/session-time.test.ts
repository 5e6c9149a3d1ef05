import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HttpSession } from '../support/httpClient.ts';
import { ClientPool, COORDINATOR, staffAccounts } from '../support/staffAccounts.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import type { TestClient } from '../support/signalingClient.ts';

// A guest's session invitation opens 15 minutes before the session; hosts are never held back.

let t: TestServer;
let coordinator: HttpSession;
let hostStaff: HttpSession;
let hostId: string;
const clients = new ClientPool(() => t.url);

beforeAll(async () => {
  t = await startTestServer();
  ({ coordinator, host: hostStaff, hostId } = await staffAccounts(t.url));
});
afterAll(async () => {
  clients.closeAll();
  await t?.stop();
});

const connect = (cookie?: string): Promise<TestClient> => clients.connect(cookie);

/** A room with one session starting `minutesAhead` from now, and a guest and a host invitation to it. */
async function sessionStartingIn(minutesAhead: number) {
  const room = await coordinator.send('POST', '/api/admin/rooms', {
    name: 'Torstain satutunti',
    kind: 'storytime',
    language: 'fi',
    capacity: 6,
    lobbyEnabled: false,
  });
  const roomId = room.json.room.id as string;
  const startsAt = new Date(Date.now() + minutesAhead * 60_000);
  startsAt.setUTCSeconds(0, 0);
  const session = await coordinator.send('POST', '/api/admin/sessions', {
    roomId,
    title: 'Satutunti',
    startsAt: startsAt.toISOString(),
    durationMinutes: 45,
    hostIds: [hostId],
  });
  expect(session.status).toBe(201);
  const sessionId = session.json.session.id as string;
  const invite = async (role: 'guest' | 'host') => {
    const created = await coordinator.send('POST', `/api/admin/rooms/${roomId}/invitations`, { role, sessionId, validHours: 48 });
    expect(created.status).toBe(201);
    return created.json.token as string;
  };
  return { roomId, startsAt, guestToken: await invite('guest'), hostToken: await invite('host') };
}

describe('session invitations open shortly before the session', () => {
  it('refuses a guest an hour early with the reason and the start time, and says so before joining', async () => {
    const { startsAt, guestToken } = await sessionStartingIn(60);
    const guest = await connect();
    expect(await guest.request('joinRoom', { invitation: { token: guestToken }, displayName: 'Aino' })).toEqual({
      ok: false,
      error: { code: 'forbidden', message: expect.any(String), reason: 'session-not-started', startsAt: startsAt.toISOString() },
    });

    const described = await new HttpSession(t.url).send('GET', `/api/invitations/${guestToken}`);
    expect(described.status).toBe(200);
    expect(described.json).toMatchObject({
      room: { name: 'Torstain satutunti', language: 'fi' },
      role: 'guest',
      session: { startsAt: startsAt.toISOString(), open: false },
    });
  });

  it('lets a guest in ten minutes before the start', async () => {
    const { guestToken } = await sessionStartingIn(10);
    const guest = await connect();
    expect(await guest.ok('joinRoom', { invitation: { token: guestToken }, displayName: 'Aino' })).toMatchObject({
      role: 'guest',
      admission: 'in',
    });
    const described = await new HttpSession(t.url).send('GET', `/api/invitations/${guestToken}`);
    expect(described.json.session).toMatchObject({ open: true });
  });

  it('lets hosts in early: by host invitation and as the session\'s staff host', async () => {
    const { roomId, hostToken } = await sessionStartingIn(120);
    const invitedHost = await connect();
    expect(await invitedHost.ok('joinRoom', { invitation: { token: hostToken }, displayName: 'Ville' })).toMatchObject({
      role: 'host',
      admission: 'in',
    });
    const staffHost = await connect(hostStaff.cookie);
    expect(await staffHost.ok('joinRoom', { roomId, displayName: 'Ville' })).toMatchObject({ role: 'host', admission: 'in' });
  });
});

describe('the early door follows the organisation\'s clock across a change of the clocks', () => {
  // A weekly Thursday 18.00 session (Helsinki, the default zone) made before a change; the door
  // opens at 17.45 on the clock in the first week after it, not an hour early or late.
  it.each([
    { change: 'autumn', firstMeeting: '2027-10-14T18:00', planned: '2027-10-12T09:00:00Z', meeting: '2027-11-04T16:00:00.000Z' },
    { change: 'spring', firstMeeting: '2027-03-04T18:00', planned: '2027-03-02T09:00:00Z', meeting: '2027-04-01T15:00:00.000Z' },
  ])('$change: refused at 17.40 with the start at 18.00, let in at 17.50', async ({ firstMeeting, planned, meeting }) => {
    // The server runs in this process: its clock (Date only, not timers) is set where the test needs it.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date(planned));
      const staff = await new HttpSession(t.url).signIn(COORDINATOR.email, COORDINATOR.password);
      const room = await staff.send('POST', '/api/admin/rooms', {
        name: 'Torstain satutunti',
        kind: 'storytime',
        language: 'fi',
        capacity: 6,
        lobbyEnabled: false,
      });
      expect(room.status, JSON.stringify(room.json)).toBe(201);
      const roomId = room.json.room.id as string;
      const session = await staff.send('POST', '/api/admin/sessions', {
        roomId,
        title: 'Satutunti',
        startsAt: firstMeeting,
        durationMinutes: 45,
        recurrence: 'weekly',
      });
      expect(session.status).toBe(201);
      const invited = await staff.send('POST', `/api/admin/rooms/${roomId}/invitations`, { role: 'guest', sessionId: session.json.session.id });
      expect(invited.status).toBe(201);
      const token = invited.json.token as string;
      const start = Date.parse(meeting);

      vi.setSystemTime(start - 20 * 60_000); // 17.40 on the clock
      const early = await connect();
      expect(await early.request('joinRoom', { invitation: { token }, displayName: 'Aino' })).toEqual({
        ok: false,
        error: { code: 'forbidden', message: expect.any(String), reason: 'session-not-started', startsAt: meeting },
      });
      const described = await new HttpSession(t.url).send('GET', `/api/invitations/${token}`);
      expect(described.json.session).toMatchObject({ startsAt: meeting, open: false });

      vi.setSystemTime(start - 10 * 60_000); // 17.50
      const onTime = await connect();
      expect(await onTime.ok('joinRoom', { invitation: { token }, displayName: 'Aino' })).toMatchObject({ role: 'guest', admission: 'in' });
      expect((await new HttpSession(t.url).send('GET', `/api/invitations/${token}`)).json.session).toMatchObject({ startsAt: meeting, open: true });
    } finally {
      vi.useRealTimers();
    }
  });
});
