import { restApi, type Endpoint } from '@tupa/signaling/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpSession } from '../support/httpClient.ts';
import { makePdf } from '../support/pdfFixture.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { staffAccounts } from '../support/staffAccounts.ts';

// The staff console's types are derived from the protocol's REST schemas (restApi); the routes
// validate with the same schemas. These tests hold the server to them: every answer is exactly
// the JSON its endpoint's schema describes (nothing missing, nothing extra, dates as ISO
// strings), and a body that breaks an endpoint's schema is refused with 400 `validation`.

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

/**
 * Checks that an answer is the endpoint's success status and exactly the JSON its schema
 * describes: decoding and encoding again gives the same JSON back, so a field the schema lacks
 * (dropped by decoding) or a date not in ISO form fails. Returns the JSON.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function answered(endpoint: Endpoint & { response: object }, result: { status: number; json: Record<string, any> }) {
  expect(result.status, JSON.stringify(result.json)).toBe(endpoint.status);
  const schema = endpoint.response!;
  expect(schema.encode(schema.decode(result.json))).toEqual(result.json);
  return result.json;
}

const room = {
  name: 'Satutupa',
  description: 'Picture books with a reading grandparent',
  kind: 'storytime',
  language: 'fi',
  capacity: 4,
  groundRules: 'Be kind.',
  lobbyEnabled: true,
  childrenPresent: true,
  chatEnabled: false,
};

describe('the REST API answers as its protocol schemas say', () => {
  it('answers the staff console with exactly the JSON the console types describe', async () => {
    answered(restApi.me, await coordinator.send('GET', '/api/auth/me'));
    answered(restApi.setupStatus, await coordinator.send('GET', '/api/auth/setup'));
    answered(restApi.listStaff, await coordinator.send('GET', '/api/staff'));

    const created = answered(restApi.createRoom, await coordinator.send('POST', '/api/admin/rooms', room));
    const roomId = created.room.id as string;
    answered(restApi.getRoom, await coordinator.send('GET', `/api/admin/rooms/${roomId}`));
    answered(restApi.updateRoom, await coordinator.send('PATCH', `/api/admin/rooms/${roomId}`, { capacity: 6 }));
    answered(restApi.listRooms, await coordinator.send('GET', '/api/admin/rooms?archived=true'));

    const startsAt = new Date(Date.now() + 2 * 3600_000);
    const planned = { roomId, title: 'Tuesday stories', startsAt: startsAt.toISOString(), durationMinutes: 45, recurrence: 'weekly', hostIds: [hostId] };
    const session = answered(restApi.createSession, await coordinator.send('POST', '/api/admin/sessions', planned));
    const occurrences = answered(restApi.listOccurrences, await host.send('GET', '/api/admin/sessions?days=14'));
    expect(occurrences.occurrences.length).toBeGreaterThan(0);
    const invitable = answered(restApi.listInvitableSessions, await host.send('GET', `/api/admin/rooms/${roomId}/sessions`));
    expect(invitable.sessions.map((s: { sessionId: string }) => s.sessionId)).toEqual([session.session.id]);

    const invitation = answered(
      restApi.createInvitation,
      await host.send('POST', `/api/admin/rooms/${roomId}/invitations`, { sessionId: session.session.id, label: 'Mummi' }),
    );
    answered(restApi.listInvitations, await host.send('GET', `/api/admin/rooms/${roomId}/invitations`));
    const guest = new HttpSession(t.url);
    const described = answered(restApi.describeInvitation, await guest.send('GET', `/api/invitations/${invitation.token}`));
    expect(described.session.title).toBe('Tuesday stories');
    answered(restApi.lookUpCode, await guest.send('POST', '/api/invitations/by-code', { code: invitation.code }));
    answered(restApi.createOpenRoom, await guest.send('POST', '/api/rooms'));
  });

  it('answers about books as the shelf schemas say', async () => {
    const form = new FormData();
    for (const [name, value] of Object.entries({ title: 'Karhu', licence: 'CC BY 4.0', language: 'fi' })) form.append(name, value);
    form.append('pages', new Blob([new Uint8Array(makePdf(2))], { type: 'application/pdf' }), 'karhu.pdf');
    const response = await fetch(`${t.url}/api/admin/books`, {
      method: 'POST',
      headers: { origin: t.url, cookie: coordinator.cookie, 'x-csrf-token': coordinator.csrf },
      body: form,
    });
    const book = answered(restApi.uploadBook, { status: response.status, json: (await response.json()) as Record<string, unknown> });
    answered(restApi.listBooks, await new HttpSession(t.url).send('GET', '/api/books?language=fi'));
    answered(restApi.getBook, await new HttpSession(t.url).send('GET', `/api/books/${book.id}`));
    answered(restApi.listShelf, await coordinator.send('GET', '/api/admin/books'));
    answered(restApi.updateBook, await coordinator.send('PATCH', `/api/admin/books/${book.id}`, { author: 'Anna' }));
  });
});

describe('the routes validate with the protocol schemas', () => {
  // Each body breaks its endpoint's shared schema in one field; the route must refuse it.
  type Broken = { name: string; endpoint: Endpoint & { body: object }; method: string; path: (roomId: string) => string; body: (roomId: string) => unknown };
  const rooms = '/api/admin/rooms';
  const broken: Broken[] = [
    { name: 'a room of an unknown kind', endpoint: restApi.createRoom, method: 'POST', path: () => rooms, body: () => ({ ...room, kind: 'disco' }) },
    { name: 'a room for one', endpoint: restApi.createRoom, method: 'POST', path: () => rooms, body: () => ({ ...room, capacity: 1 }) },
    { name: 'a room in an unknown language', endpoint: restApi.updateRoom, method: 'PATCH', path: (id) => `${rooms}/${id}`, body: () => ({ language: 'de' }) },
    { name: 'an invitation for an owner', endpoint: restApi.createInvitation, method: 'POST', path: (id) => `${rooms}/${id}/invitations`, body: () => ({ role: 'owner' }) },
    { name: 'an invitation for a year', endpoint: restApi.createInvitation, method: 'POST', path: (id) => `${rooms}/${id}/invitations`, body: () => ({ validHours: 24 * 365 }) },
    {
      name: 'a session on 30 February',
      endpoint: restApi.createSession,
      method: 'POST',
      path: () => '/api/admin/sessions',
      body: (id) => ({ roomId: id, title: 'x', startsAt: '2027-02-30T18:00', durationMinutes: 30 }),
    },
    {
      name: 'a staff member who is an admin',
      endpoint: restApi.createStaff,
      method: 'POST',
      path: () => '/api/staff',
      body: () => ({ email: 'a@example.org', displayName: 'A', role: 'admin', password: 'long enough password' }),
    },
    { name: 'a sign-in without an email address', endpoint: restApi.login, method: 'POST', path: () => '/api/auth/login', body: () => ({ email: 'Kaisa', password: 'x' }) },
  ];

  let roomId = '';
  beforeAll(async () => {
    roomId = (await coordinator.send('POST', rooms, room)).json.room.id as string;
  });

  it.each(broken)('refuses $name with 400 validation', async ({ endpoint, method, path, body }) => {
    // The body breaks the shared schema (so the console's types would not allow it either)...
    expect(endpoint.body.safeParse(body(roomId)).success).toBe(false);
    // ...and the route refuses it with that schema's complaint.
    const refused = await coordinator.send(method, path(roomId), body(roomId));
    expect(refused.status, JSON.stringify(refused.json)).toBe(400);
    expect(refused.json.error.code).toBe('validation');
  });

  it('serves every endpoint of the table', async () => {
    const anybody = new HttpSession(t.url);
    for (const endpoint of Object.values(restApi) as Endpoint[]) {
      const path = endpoint.path.replace(/:[A-Za-z]+/g, 'x');
      const answer = await anybody.send(endpoint.method, path, endpoint.method === 'GET' ? undefined : {});
      expect(answer.json.error?.message, `${endpoint.method} ${endpoint.path}`).not.toBe('no such endpoint');
      expect(answer.status, `${endpoint.method} ${endpoint.path}`).not.toBe(405);
    }
  });
});
