import { httpErrorBodySchema } from '@tupa/signaling/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpSession } from '../support/httpClient.ts';
import { shelveTestBook } from '../support/books.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { createRoom, staffAccounts } from '../support/staffAccounts.ts';

// The staff REST API against a confused or hostile browser (real PostgreSQL): broken JSON,
// wrong types, foreign origins, missing CSRF tokens, a host at a coordinator's door. Every
// answer is a 4xx with the documented error body, never `internal`, and nothing changes.

let t: TestServer;
let coordinator: HttpSession;
let staffHost: HttpSession;
let bookId: string;

beforeAll(async () => {
  t = await startTestServer();
  ({ coordinator, host: staffHost } = await staffAccounts(t.url));
  bookId = await shelveTestBook(t);
});
afterAll(async () => {
  await t?.stop();
});

describe('the staff REST API abused', () => {
  type Attempt = { name: string; who: HttpSession | null; method: string; path: string; body?: string; headers?: Record<string, string>; status: number | 'any4xx' };

  /** Sends `body` exactly as given (even broken JSON) with the session's cookie, CSRF token and origin. */
  async function rawSend(who: HttpSession | null, method: string, path: string, body?: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${t.url}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(who?.cookie ? { cookie: who.cookie } : {}),
        ...(who?.csrf ? { 'x-csrf-token': who.csrf } : {}),
        origin: t.url,
        ...headers,
      },
      ...(body !== undefined ? { body } : {}),
    });
    const text = await response.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: response.status, json };
  }

  it('answers malformed, mistyped, foreign and unauthorised requests with a 4xx and the documented error body, and changes nothing', async () => {
    const roomId = await createRoom(coordinator, { name: 'REST target', kind: 'storytime', capacity: 4 });
    const roomBefore = (await coordinator.send('GET', `/api/admin/rooms/${roomId}`)).json;
    const staffBefore = (await coordinator.send('GET', '/api/staff')).json;
    const validRoom = JSON.stringify({ name: 'R', kind: 'peer-group', language: 'fi', capacity: 4 });
    const deep = '['.repeat(7000) + ']'.repeat(7000);
    const attempts: Attempt[] = [
      { name: 'broken JSON', who: coordinator, method: 'POST', path: '/api/admin/rooms', body: '{"name": "R", ', status: 400 },
      { name: 'JSON null', who: coordinator, method: 'POST', path: '/api/admin/rooms', body: 'null', status: 'any4xx' },
      { name: 'a JSON string', who: coordinator, method: 'POST', path: '/api/admin/rooms', body: '"room"', status: 'any4xx' },
      { name: 'a JSON number', who: coordinator, method: 'PATCH', path: `/api/admin/rooms/${roomId}`, body: '42', status: 'any4xx' },
      { name: 'an array for a room', who: coordinator, method: 'POST', path: '/api/admin/rooms', body: `[${validRoom}]`, status: 400 },
      { name: 'an array for a patch', who: coordinator, method: 'PATCH', path: `/api/admin/rooms/${roomId}`, body: '[{"capacity": 2}]', status: 400 },
      { name: 'deeply nested arrays', who: coordinator, method: 'PATCH', path: `/api/admin/rooms/${roomId}`, body: deep, status: 'any4xx' },
      { name: 'wrong types', who: coordinator, method: 'POST', path: '/api/admin/rooms', body: JSON.stringify({ name: 5, kind: ['open'], language: null, capacity: '4' }), status: 400 },
      { name: 'a capacity as a string', who: coordinator, method: 'PATCH', path: `/api/admin/rooms/${roomId}`, body: '{"capacity": "2"}', status: 400 },
      { name: 'a huge name', who: coordinator, method: 'PATCH', path: `/api/admin/rooms/${roomId}`, body: JSON.stringify({ name: 'x'.repeat(15_000) }), status: 400 },
      { name: 'a body over the limit', who: coordinator, method: 'PATCH', path: `/api/admin/rooms/${roomId}`, body: JSON.stringify({ name: 'x'.repeat(40_000) }), status: 413 },
      { name: '__proto__ with wrong types', who: coordinator, method: 'PATCH', path: `/api/admin/rooms/${roomId}`, body: '{"__proto__": {"capacity": 2, "archived": true}, "capacity": "x"}', status: 400 },
      { name: 'a control character', who: coordinator, method: 'PATCH', path: `/api/admin/rooms/${roomId}`, body: JSON.stringify({ name: 'a\u0000b' }), status: 400 },
      { name: 'text/plain instead of JSON', who: coordinator, method: 'POST', path: '/api/admin/rooms', body: validRoom, headers: { 'content-type': 'text/plain' }, status: 400 },
      { name: 'no CSRF token', who: coordinator, method: 'PATCH', path: `/api/admin/rooms/${roomId}`, body: '{"capacity": 2}', headers: { 'x-csrf-token': '' }, status: 403 },
      { name: 'a wrong CSRF token', who: coordinator, method: 'POST', path: '/api/staff', body: JSON.stringify({ email: 'x@example.org', displayName: 'X', role: 'coordinator', password: 'long enough password' }), headers: { 'x-csrf-token': 'A'.repeat(43) }, status: 403 },
      { name: 'another origin', who: coordinator, method: 'PATCH', path: `/api/admin/rooms/${roomId}`, body: '{"capacity": 2}', headers: { origin: 'https://evil.example' }, status: 403 },
      { name: 'nobody signed in', who: null, method: 'PATCH', path: `/api/admin/rooms/${roomId}`, body: '{"capacity": 2}', status: 401 },
      { name: 'a host creating a room', who: staffHost, method: 'POST', path: '/api/admin/rooms', body: validRoom, status: 403 },
      { name: 'a host changing a room', who: staffHost, method: 'PATCH', path: `/api/admin/rooms/${roomId}`, body: '{"capacity": 2}', status: 403 },
      { name: 'a host listing staff', who: staffHost, method: 'GET', path: '/api/staff', status: 403 },
      { name: 'a host making a coordinator', who: staffHost, method: 'POST', path: '/api/staff', body: JSON.stringify({ email: 'y@example.org', displayName: 'Y', role: 'coordinator', password: 'long enough password' }), status: 403 },
      { name: 'a host planning a session', who: staffHost, method: 'POST', path: '/api/admin/sessions', body: JSON.stringify({ roomId, title: 'x', startsAt: '2030-01-01T18:00', durationMinutes: 30 }), status: 403 },
      { name: 'a host deleting a session', who: staffHost, method: 'DELETE', path: '/api/admin/sessions/33333333-3333-4333-8333-333333333333', status: 403 },
      { name: 'a host on the shelf', who: staffHost, method: 'PATCH', path: `/api/admin/books/${bookId}`, body: '{"archived": true}', status: 403 },
      { name: 'a host archiving a book', who: staffHost, method: 'DELETE', path: `/api/admin/books/${bookId}`, status: 403 },
      { name: 'a host inviting a host', who: staffHost, method: 'POST', path: `/api/admin/rooms/${roomId}/invitations`, body: '{"role": "host"}', status: 403 },
      { name: 'a room id that is no id', who: coordinator, method: 'PATCH', path: '/api/admin/rooms/%27%20OR%201%3D1', body: '{"capacity": 2}', status: 404 },
      { name: 'a book id that is no id', who: coordinator, method: 'PATCH', path: '/api/admin/books/nope', body: '{"archived": true}', status: 404 },
      { name: 'a session id that is no id', who: coordinator, method: 'DELETE', path: '/api/admin/sessions/nope', status: 404 },
      { name: 'an invitation id that is no id', who: coordinator, method: 'POST', path: `/api/admin/rooms/${roomId}/invitations/nope/revoke`, status: 404 },
      { name: 'a session for an unknown host', who: coordinator, method: 'POST', path: '/api/admin/sessions', body: JSON.stringify({ roomId, title: 'x', startsAt: '2030-01-01T18:00', durationMinutes: 30, hostIds: ['33333333-3333-4333-8333-333333333333'] }), status: 400 },
      { name: 'a session for an unknown room', who: coordinator, method: 'POST', path: '/api/admin/sessions', body: JSON.stringify({ roomId: 'A'.repeat(22), title: 'x', startsAt: '2030-01-01T18:00', durationMinutes: 30 }), status: 404 },
      { name: 'a session with a mistyped duration', who: coordinator, method: 'POST', path: '/api/admin/sessions', body: JSON.stringify({ roomId, title: 'x', startsAt: '2030-01-01T18:00', durationMinutes: '30' }), status: 400 },
      { name: 'an invitation for an unknown session', who: coordinator, method: 'POST', path: `/api/admin/rooms/${roomId}/invitations`, body: '{"sessionId": "33333333-3333-4333-8333-333333333333"}', status: 'any4xx' },
      { name: 'an invitation with a mistyped validity', who: coordinator, method: 'POST', path: `/api/admin/rooms/${roomId}/invitations`, body: '{"validHours": "24"}', status: 400 },
      { name: 'a staff member with a duplicate email', who: coordinator, method: 'POST', path: '/api/staff', body: JSON.stringify({ email: 'host@example.org', displayName: 'Dup', role: 'host', password: 'long enough password' }), status: 409 },
      { name: 'a sign-in with a numeric password', who: null, method: 'POST', path: '/api/auth/login', body: '{"email": "host@example.org", "password": 12345}', status: 400 },
      { name: 'a sign-in with an array email', who: null, method: 'POST', path: '/api/auth/login', body: '{"email": ["host@example.org"], "password": "x"}', status: 400 },
      { name: 'a second setup', who: null, method: 'POST', path: '/api/auth/setup', body: JSON.stringify({ email: 'z@example.org', displayName: 'Z', password: 'long enough password' }), status: 'any4xx' },
      { name: 'a code of the wrong type', who: null, method: 'POST', path: '/api/invitations/by-code', body: '{"code": 12345}', status: 400 },
      { name: 'a list query out of range', who: coordinator, method: 'GET', path: '/api/admin/sessions?days=100000', status: 400 },
      { name: 'a list query from an array', who: coordinator, method: 'GET', path: '/api/admin/sessions?from=a&from=b', status: 400 },
      { name: 'a repeated query key', who: coordinator, method: 'GET', path: '/api/admin/sessions?days=1&days=2', status: 400 },
      { name: 'a broken percent-encoding in a path', who: coordinator, method: 'GET', path: '/api/admin/rooms/%E0%A4%A', status: 'any4xx' },
      { name: 'a NUL in a path', who: null, method: 'GET', path: '/api/invitations/%00', status: 400 },
      { name: 'a NUL in a query', who: null, method: 'GET', path: '/api/books?language=%00', status: 400 },
      { name: 'an unknown language', who: null, method: 'GET', path: '/api/books?language=de&language=fi', status: 400 },
      { name: 'a page past any book', who: null, method: 'GET', path: `/api/books/${bookId}/pages/99999/small`, status: 404 },
    ];
    const failures: string[] = [];
    for (const attempt of attempts) {
      const answer = await rawSend(attempt.who, attempt.method, attempt.path, attempt.body, attempt.headers);
      const statusOk = attempt.status === 'any4xx' ? answer.status >= 400 && answer.status < 500 : answer.status === attempt.status;
      const bodyOk = httpErrorBodySchema.safeParse(answer.json).success;
      if (!statusOk || !bodyOk) failures.push(`${attempt.name}: ${answer.status} ${JSON.stringify(answer.json).slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await coordinator.send('GET', `/api/admin/rooms/${roomId}`)).json).toEqual(roomBefore);
    expect((await coordinator.send('GET', '/api/staff')).json).toEqual(staffBefore);
    expect((await new HttpSession(t.url).send('GET', `/api/books/${bookId}`)).status).toBe(200);
    // And the API still serves the coordinator.
    expect((await coordinator.send('PATCH', `/api/admin/rooms/${roomId}`, { capacity: 5 })).json.room.capacity).toBe(5);
  });

  // DEFECT: sessionRangeSchema's `from` refine runs `new Date(s).toISOString()` even when the ISO
  // check failed (zod 4 runs refinements after a non-aborting issue), and an invalid Date throws
  // RangeError out of safeParse: any signed-in staff member gets 500 internal for a typo.
  it('answers a session listing whose from is no date with 400 validation, not 500 internal', async () => {
    for (const who of [coordinator, staffHost]) {
      for (const from of ['nope', '2026-13-45T00:00:00Z']) {
        const answer = await rawSend(who, 'GET', `/api/admin/sessions?from=${encodeURIComponent(from)}`);
        expect({ from, status: answer.status, json: answer.json }).toMatchObject({ from, status: 400, json: { error: { code: 'validation' } } });
      }
    }
    // The API still serves afterwards.
    expect((await rawSend(coordinator, 'GET', '/api/admin/sessions?days=7')).status).toBe(200);
  });

  it('drops unknown fields of a room patch: id, owner and dates stay the server\'s', async () => {
    const roomId = await createRoom(coordinator, { name: 'Unknown fields', capacity: 4 });
    const before = (await coordinator.send('GET', `/api/admin/rooms/${roomId}`)).json.room;
    const answer = await coordinator.send('PATCH', `/api/admin/rooms/${roomId}`, { id: 'B'.repeat(22), createdBy: null, createdAt: '2000-01-01T00:00:00Z', owner: 'me', capacity: 3 });
    expect(answer.status).toBeLessThan(500);
    const after = (await coordinator.send('GET', `/api/admin/rooms/${roomId}`)).json.room;
    expect({ ...after, capacity: before.capacity }).toEqual(before);
    expect((await coordinator.send('GET', `/api/admin/rooms/${'B'.repeat(22)}`)).status).toBe(404);
  });
});
