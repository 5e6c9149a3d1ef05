import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpSession } from '../support/httpClient.ts';
import { eventually, startTestServer, type TestServer } from '../support/server.ts';
import { ClientPool, createRoom, staffAccounts } from '../support/staffAccounts.ts';

// The one text rule (signaling/src/protocol/text.ts) at the edges: every REST body, query string
// and path, and every socket request, refuse a control character or a text direction control,
// naming the field, before anything is stored or passed on; names and messages in any script and
// with emoji go through exactly as typed.

let t: TestServer;
let coordinator: HttpSession;
let hostId: string;
const sockets = new ClientPool(() => t.url);

beforeAll(async () => {
  t = await startTestServer();
  ({ coordinator, hostId } = await staffAccounts(t.url));
});
afterAll(async () => {
  sockets.closeAll();
  await t?.stop();
});

const MUMMI = 'Mummi 👩\u200D👧';
const FAMILY = '👨\u200D👩\u200D👧\u200D👦';
const PERSIAN = 'می\u200Cخواهم';

/** Rows in every table of the database, to show a refused request stored nothing anywhere. */
async function rowCounts(): Promise<Record<string, number>> {
  const sequelize = t.server.db.sequelize;
  const [tables] = (await sequelize.query(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
  )) as [Array<{ name: string }>, unknown];
  const counts: Record<string, number> = {};
  for (const { name: table } of tables) {
    const [rows] = (await sequelize.query(`SELECT count(*)::int AS n FROM "${table.replaceAll('"', '""')}"`)) as [Array<{ n: number }>, unknown];
    counts[table] = rows[0]?.n ?? -1;
  }
  return counts;
}

/** Sends a request that must be refused with a 400 naming `message`, and checks nothing changed in the database. */
async function expectRefused(send: () => Promise<{ status: number; json: Record<string, unknown> }>, message: string) {
  const before = await rowCounts();
  const result = await send();
  expect(result.json).toEqual({ error: { code: 'validation', message, reason: 'forbidden-character' } });
  expect(result.status).toBe(400);
  expect(await rowCounts()).toEqual(before);
}

const storytime = {
  name: 'Satutupa',
  kind: 'storytime',
  language: 'fi',
  capacity: 4,
  groundRules: 'Be kind.\nNo recording.',
};

describe('text fields over HTTP', () => {
  it('refuses a NUL in a room name or its ground rules with a 400 naming the field, and stores nothing', async () => {
    expect(Object.keys(await rowCounts())).toEqual(expect.arrayContaining(['rooms', 'staff_users', 'invitations', 'scheduled_sessions', 'books']));
    await expectRefused(
      () => coordinator.send('POST', '/api/admin/rooms', { ...storytime, name: 'Satu\u0000tupa' }),
      'name: contains a control character (U+0000)',
    );
    await expectRefused(
      () => coordinator.send('POST', '/api/admin/rooms', { ...storytime, groundRules: 'Be kind.\u0000' }),
      'groundRules: contains a control character (U+0000)',
    );
    // A change to a room is refused just the same, and the room keeps its rules.
    const roomId = await createRoom(coordinator, storytime);
    await expectRefused(
      () => coordinator.send('PATCH', `/api/admin/rooms/${roomId}`, { groundRules: 'Changed\u0000' }),
      'groundRules: contains a control character (U+0000)',
    );
    // One more of the kind: a right-to-left override that would make the name read backwards.
    await expectRefused(
      () => coordinator.send('PATCH', `/api/admin/rooms/${roomId}`, { name: 'Satu\u202Eapputus' }),
      'name: contains a text direction control (U+202E)',
    );
    const room = (await coordinator.send('GET', `/api/admin/rooms/${roomId}`)).json.room;
    expect(room).toMatchObject({ name: 'Satutupa', groundRules: 'Be kind.\nNo recording.' });
  });

  it('refuses a NUL in a session title, an invitation label and a staff name, and stores nothing', async () => {
    const roomId = await createRoom(coordinator);
    const startsAt = new Date(Date.now() + 24 * 3600_000).toISOString();
    await expectRefused(
      () => coordinator.send('POST', '/api/admin/sessions', { roomId, title: 'Tuesday\u0000stories', startsAt, durationMinutes: 45, hostIds: [hostId] }),
      'title: contains a control character (U+0000)',
    );
    await expectRefused(
      () => coordinator.send('POST', `/api/admin/rooms/${roomId}/invitations`, { role: 'guest', label: 'Mummo\u0000Aino' }),
      'label: contains a control character (U+0000)',
    );
    await expectRefused(
      () => coordinator.send('POST', `/api/admin/rooms/${roomId}/invitations`, { role: 'guest', label: 'Mummo\u0007' }),
      'label: contains a control character (U+0007)',
    );
    await expectRefused(
      () => coordinator.send('POST', '/api/staff', { email: 'ville2@example.org', displayName: 'Vil\u0000le', role: 'host', password: 'a long passphrase here' }),
      'displayName: contains a control character (U+0000)',
    );
    // Deep inside a list, the path says where.
    await expectRefused(
      () => coordinator.send('POST', '/api/admin/sessions', { roomId, title: 'Stories', startsAt, durationMinutes: 45, hostIds: [hostId, 'x\u2066'] }),
      'hostIds.1: contains a text direction control (U+2066)',
    );
    // Even before signing in is checked: a form with a control character goes no further.
    await expectRefused(
      () => new HttpSession(t.url).send('POST', '/api/auth/login', { email: 'a@example.org\u0000', password: 'x' }),
      'email: contains a control character (U+0000)',
    );
    expect((await coordinator.send('GET', `/api/admin/rooms/${roomId}/invitations`)).json.invitations).toEqual([]);
    expect((await coordinator.send('GET', '/api/admin/sessions?days=7')).json.occurrences.filter((o: { roomId: string }) => o.roomId === roomId)).toEqual([]);
  });

  it('leaves passwords alone: any character a person could type signs them in', async () => {
    const password = 'salasana \u202Eon pitkä\u0007 👩\u200D👧';
    const made = await coordinator.send('POST', '/api/staff', { email: 'pw-rule@example.org', displayName: 'Pia', role: 'host', password });
    expect(made.status).toBe(201);
    const signIn = await new HttpSession(t.url).send('POST', '/api/auth/login', { email: 'pw-rule@example.org', password });
    expect(signIn.status).toBe(200);
    // The rest of the same body is still held to the rule.
    await expectRefused(
      () => new HttpSession(t.url).send('POST', '/api/auth/login', { email: 'pw-rule@example.org\u202E', password }),
      'email: contains a text direction control (U+202E)',
    );
  });

  it('refuses a NUL in a query string or a path', async () => {
    await expectRefused(() => coordinator.send('GET', '/api/admin/sessions?from=2030-01-01T00:00:00Z%00'), 'query.from: contains a control character (U+0000)');
    await expectRefused(() => new HttpSession(t.url).send('GET', '/api/books?language=fi%00'), 'query.language: contains a control character (U+0000)');
    await expectRefused(() => coordinator.send('GET', '/api/admin/rooms/abc%00def'), 'path: contains a control character (U+0000)');
  });

  it('refuses a NUL in a book upload’s text fields and keeps no book', async () => {
    const form = new FormData();
    for (const [name, value] of Object.entries({ title: 'Karhu\u0000ja kuu', language: 'fi', licence: 'CC BY 4.0' })) form.append(name, value);
    form.append('pages', new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], { type: 'image/png' }), 'page-1.png');
    await expectRefused(async () => {
      const response = await fetch(`${t.url}/api/admin/books`, {
        method: 'POST',
        headers: { origin: t.url, cookie: coordinator.cookie, 'x-csrf-token': coordinator.csrf },
        body: form,
      });
      return { status: response.status, json: (await response.json()) as Record<string, unknown> };
    }, 'title: contains a control character (U+0000)');
  });

  it('keeps names in every script and with emoji exactly as typed, and line breaks where there are several lines', async () => {
    const roomId = await createRoom(coordinator, { ...storytime, name: `Satutupa ${FAMILY}`, groundRules: 'Ole ystävällinen.\nمی\u200Cخواهم' });
    const room = (await coordinator.send('GET', `/api/admin/rooms/${roomId}`)).json.room;
    expect(room).toMatchObject({ name: `Satutupa ${FAMILY}`, groundRules: 'Ole ystävällinen.\nمی\u200Cخواهم' });
    const staff = await coordinator.send('POST', '/api/staff', { email: 'mummi@example.org', displayName: MUMMI, role: 'host', password: 'a long passphrase here' });
    expect(staff.status).toBe(201);
    expect(staff.json.staff.displayName).toBe(MUMMI);
    const invitation = await coordinator.send('POST', `/api/admin/rooms/${roomId}/invitations`, { role: 'guest', label: `${PERSIAN} 🇫🇮` });
    expect(invitation.status).toBe(201);
    expect(invitation.json.invitation.label).toBe(`${PERSIAN} 🇫🇮`);
    // A one-line field still refuses a line break, by its own schema.
    const twoLines = await coordinator.send('POST', '/api/admin/rooms', { ...storytime, name: 'Satu\ntupa' });
    expect(twoLines.status).toBe(400);
    expect(twoLines.json.error.message).toBe('name: contains a line break, and must be one line (U+000A)');
    // An emoji name of 80 characters fits the 80-character limit; one more does not.
    const long = 'Satu 👵🏽'.repeat(13) + '👵🏽👵🏽';
    expect((await coordinator.send('POST', '/api/admin/rooms', { ...storytime, name: long })).status).toBe(201);
    expect((await coordinator.send('POST', '/api/admin/rooms', { ...storytime, name: `${long}x` })).status).toBe(400);
  });
});

describe('text in socket requests', () => {
  async function openRoom(): Promise<string> {
    const response = await fetch(`${t.url}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(201);
    return ((await response.json()) as { roomId: string }).roomId;
  }

  it('refuses a NUL or a direction override in a display name with the validation code, naming the field', async () => {
    const roomId = await openRoom();
    const c = await sockets.connect();
    expect(await c.request('joinRoom', { roomId, displayName: 'Ai\u0000no' })).toEqual({
      ok: false,
      error: { code: 'validation', message: 'invalid joinRoom request at displayName: contains a control character (U+0000)' },
    });
    expect(await c.request('joinRoom', { roomId, displayName: 'Aino\u202E' })).toEqual({
      ok: false,
      error: { code: 'validation', message: 'invalid joinRoom request at displayName: contains a text direction control (U+202E)' },
    });
    // Before any schema or handler: a request that would need a room is refused for its text first.
    const produce = await c.raw('produce', { transportId: 't', kind: 'video', source: 'camera', rtpParameters: { codecs: [], rtcp: { cname: 'a\u0000' } } });
    expect(produce).toEqual({
      ok: false,
      error: { code: 'validation', message: 'invalid produce request at rtpParameters.rtcp.cname: contains a control character (U+0000)' },
    });
    expect(t.server.registry.size).toBe(0);
  });

  it('shows an emoji name to the others exactly as typed, passes emoji chat on, and refuses a NUL in chat', async () => {
    const roomId = await openRoom();
    const aino = await sockets.connect();
    const mummi = await sockets.connect();
    const a = await aino.ok('joinRoom', { roomId, displayName: `Aino ${PERSIAN}` });
    const m = await mummi.joinCall({ roomId, displayName: MUMMI });
    expect(m.peers.map((p) => p.displayName)).toEqual([`Aino ${PERSIAN}`]);
    expect(await eventually(() => aino.notifications('peerJoined').length === 1)).toBe(true);
    expect(aino.notifications('peerJoined')[0]?.peer).toMatchObject({ peerId: m.peerId, displayName: MUMMI });

    expect(await mummi.request('sendChat', { text: `Hyvää yötä\u0000` })).toEqual({
      ok: false,
      error: { code: 'validation', message: 'invalid sendChat request at text: contains a control character (U+0000)' },
    });
    expect(await mummi.request('sendChat', { text: 'Hei\u2067' })).toMatchObject({ ok: false, error: { code: 'validation' } });
    await mummi.ok('sendChat', { text: `Hyvää yötä ${FAMILY}\nhuomiseen` });
    expect(await eventually(() => aino.notifications('chatMessage').length >= 1 && mummi.notifications('chatMessage').length >= 1)).toBe(true);
    // Only the message that was allowed arrived, exactly as written, under the name as typed.
    expect(aino.notifications('chatMessage')).toEqual([
      { peerId: m.peerId, displayName: MUMMI, text: `Hyvää yötä ${FAMILY}\nhuomiseen`, sentAt: expect.any(Number) },
    ]);
    expect(mummi.notifications('chatMessage').map((n) => n.peerId)).toEqual([m.peerId]);
    expect(a.peerId).not.toBe(m.peerId);
  });
});
