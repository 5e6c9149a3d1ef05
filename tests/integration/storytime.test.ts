import type { StorytimeState } from '@tupa/signaling/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpSession } from '../support/httpClient.ts';
import { ClientPool, staffAccounts } from '../support/staffAccounts.ts';
import { shelveTestBook } from '../support/books.ts';
import { eventually, startTestServer, type TestServer } from '../support/server.ts';
import type { TestClient } from '../support/signalingClient.ts';

// Storytime over real Socket.IO against a whole Tupa: the book comes from the real shelf in
// PostgreSQL, roles from real invitations, and every refusal is checked against the room's state.

let t: TestServer;
let coordinator: HttpSession;
let bookId: string;
const clients = new ClientPool(() => t.url);

beforeAll(async () => {
  // A reconnect grace long enough that a dropped tab can come back to its place.
  t = await startTestServer({ env: { RECONNECT_GRACE_SECONDS: '30' } });
  ({ coordinator } = await staffAccounts(t.url));
  bookId = await shelveTestBook(t);
});
afterAll(async () => {
  clients.closeAll();
  await t?.stop();
});

const connect = (cookie?: string): Promise<TestClient> => clients.connect(cookie);

async function staffRoom(kind: 'storytime' | 'peer-group', lobbyEnabled = false): Promise<string> {
  const room = await coordinator.send('POST', '/api/admin/rooms', {
    name: kind === 'storytime' ? 'Mummon satutunti' : 'Vanhempien ryhmä',
    kind,
    language: 'fi',
    capacity: 8,
    groundRules: '',
    lobbyEnabled,
    childrenPresent: kind === 'storytime',
  });
  expect(room.status).toBe(201);
  return room.json.room.id as string;
}

async function joinAsGuest(roomId: string, displayName: string) {
  const invitation = await coordinator.send('POST', `/api/admin/rooms/${roomId}/invitations`, { role: 'guest' });
  const client = await connect();
  const joined = await client.ok('joinRoom', { invitation: { token: invitation.json.token as string }, displayName });
  return { client, joined };
}

/** A storytime room with the coordinator's tab as host and two guests, everyone in. */
async function storyRoom(kind: 'storytime' | 'peer-group' = 'storytime') {
  const roomId = await staffRoom(kind);
  const host = await connect(coordinator.cookie);
  const h = await host.joinCall({ roomId, displayName: 'Kaisa' });
  expect(h.role).toBe('host');
  expect(h.storytime).toEqual({ book: null, page: 1, readerId: null, turnerId: null, version: 0 });
  const { client: child, joined: c } = await joinAsGuest(roomId, 'Ilona');
  const { client: cousin, joined: k } = await joinAsGuest(roomId, 'Onni');
  expect(c.role).toBe('guest');
  const room = t.server.registry.get(roomId);
  if (!room) throw new Error('room is not live');
  return { roomId, room, host, child, cousin, hostId: h.peerId, childId: c.peerId, cousinId: k.peerId, childJoin: c };
}

const changes = (client: TestClient) => client.notifications('storytimeChanged');

/** Waits until `client` has seen a storytime change with this version, and returns it. */
async function changeSeen(client: TestClient, version: number) {
  expect(await eventually(() => changes(client).some((n) => n.state.version === version))).toBe(true);
  return changes(client).find((n) => n.state.version === version);
}

/** Every notice sent to `client` before this reply has arrived when it returns (one socket keeps order). */
async function settled(client: TestClient): Promise<void> {
  await client.ok('raiseHand', { raised: false });
}

describe('storytime over signaling', () => {
  it('shows the book a host opens to everyone, with the host reading', async () => {
    const { host, child, cousin, hostId } = await storyRoom();
    const opened = await host.ok('openBook', { bookId });
    const expected: StorytimeState = {
      book: { bookId, title: 'Siilin talvi', pageCount: 8, aspectRatio: 1.5 },
      page: 1,
      readerId: hostId,
      turnerId: null,
      version: 1,
    };
    expect(opened).toEqual(expected);
    expect(await changeSeen(child, 1)).toEqual({ state: expected, by: hostId });
    expect(await changeSeen(cousin, 1)).toEqual({ state: expected, by: hostId });
    expect((await changeSeen(host, 1))?.state).toEqual(expected);
    const turned = await host.ok('turnPage', { page: 2 });
    expect(turned).toMatchObject({ page: 2, version: 2 });
    expect((await changeSeen(child, 2))?.state.page).toBe(2);
  });

  it('refuses a page turn from a guest who was not handed the turning, and nothing changes', async () => {
    const { room, host, child } = await storyRoom();
    await host.ok('openBook', { bookId });
    await changeSeen(child, 1);
    const before = room.storytime.snapshot();
    expect(await child.request('turnPage', { page: 2 })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', reason: 'storytime-turner-only' },
    });
    await settled(host);
    await settled(child);
    expect(room.storytime.snapshot()).toEqual(before);
    expect(changes(host)).toHaveLength(1);
    expect(changes(child)).toHaveLength(1);
  });

  it('lets a host hand the turning to a child, the child turn, and the host take it back', async () => {
    const { room, host, child, cousin, hostId, childId } = await storyRoom();
    await host.ok('openBook', { bookId });
    expect(await host.ok('setTurner', { peerId: childId })).toMatchObject({ readerId: hostId, turnerId: childId, version: 2 });
    expect((await changeSeen(child, 2))?.state.turnerId).toBe(childId);
    // Only the one it was handed to: the other child still may not.
    expect(await cousin.request('turnPage', { page: 5 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await child.ok('turnPage', { page: 3 })).toMatchObject({ page: 3, version: 3 });
    expect(await changeSeen(host, 3)).toMatchObject({ state: { page: 3 }, by: childId });
    expect(await changeSeen(cousin, 3)).toMatchObject({ state: { page: 3 }, by: childId });
    expect(await host.ok('setTurner', { peerId: null })).toMatchObject({ turnerId: null, version: 4 });
    expect(await child.request('turnPage', { page: 4 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(room.storytime.snapshot()).toMatchObject({ page: 3, turnerId: null, version: 4 });
  });

  it('sends the reader\'s pointer to everyone else, and keeps it off the general request budget', async () => {
    const { host, child, cousin, hostId } = await storyRoom();
    await host.ok('openBook', { bookId });
    expect(await host.ok('pointAt', { point: { x: 0.25, y: 0.75 } })).toEqual({});
    expect(await eventually(() => child.notifications('storytimePointer').length === 1)).toBe(true);
    expect(child.notifications('storytimePointer')[0]).toEqual({ peerId: hostId, point: { x: 0.25, y: 0.75 } });
    expect(await eventually(() => cousin.notifications('storytimePointer').length === 1)).toBe(true);
    await host.ok('pointAt', { point: null });
    expect(await eventually(() => child.notifications('storytimePointer').at(-1)?.point === null)).toBe(true);
    await settled(host);
    expect(host.notifications('storytimePointer')).toEqual([]);
    // Only the reader points.
    expect(await child.request('pointAt', { point: { x: 0.5, y: 0.5 } })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', reason: 'storytime-reader-only' },
    });

    // A flood of pointer moves runs out its own budget, never the one page turns use.
    const flood = await Promise.all(Array.from({ length: 100 }, (_, i) => host.request('pointAt', { point: { x: i / 100, y: 0.5 } })));
    const limited = flood.filter((r) => !r.ok);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited.every((r) => !r.ok && r.error.code === 'rate-limited')).toBe(true);
    expect(await host.ok('turnPage', { page: 2 })).toMatchObject({ page: 2 });
  });

  it('shows a "look here" tap to the reader and hosts only', async () => {
    const { host, child, cousin, childId, cousinId } = await storyRoom();
    expect(await child.request('lookHere', { point: { x: 0.1, y: 0.2 } })).toMatchObject({
      ok: false,
      error: { code: 'invalid-state', reason: 'storytime-no-book' },
    });
    await host.ok('openBook', { bookId });
    expect(await child.ok('lookHere', { point: { x: 0.1, y: 0.2 } })).toEqual({});
    expect(await eventually(() => host.notifications('storytimeLookHere').length === 1)).toBe(true);
    expect(host.notifications('storytimeLookHere')[0]).toEqual({ peerId: childId, point: { x: 0.1, y: 0.2 } });
    await settled(cousin);
    await settled(child);
    expect(cousin.notifications('storytimeLookHere')).toEqual([]);
    expect(child.notifications('storytimeLookHere')).toEqual([]);

    // With the cousin reading, a tap reaches the reader too.
    await host.ok('setReader', { peerId: cousinId });
    await child.ok('lookHere', { point: { x: 0.9, y: 0.9 } });
    expect(await eventually(() => cousin.notifications('storytimeLookHere').length === 1)).toBe(true);
    expect(await eventually(() => host.notifications('storytimeLookHere').length === 2)).toBe(true);
  });

  it('gives a late joiner the open book at the current page, in the join reply and on admission from the lobby', async () => {
    const { roomId, host, hostId } = await storyRoom();
    await host.ok('openBook', { bookId });
    await host.ok('turnPage', { page: 6 });
    const { joined } = await joinAsGuest(roomId, 'Myöhäinen');
    expect(joined).toMatchObject({
      admission: 'in',
      storytime: { book: { bookId, pageCount: 8 }, page: 6, readerId: hostId, version: 2 },
    });

    const lobbyRoomId = await staffRoom('storytime', true);
    const lobbyHost = await connect(coordinator.cookie);
    await lobbyHost.ok('joinRoom', { roomId: lobbyRoomId, displayName: 'Kaisa' });
    await lobbyHost.ok('openBook', { bookId });
    await lobbyHost.ok('turnPage', { page: 4 });
    const { client: waiting, joined: waitingJoin } = await joinAsGuest(lobbyRoomId, 'Ilona');
    expect(waitingJoin.admission).toBe('lobby');
    // Nothing of the room, the book neither, until a host lets them in.
    expect(waitingJoin).not.toHaveProperty('storytime');
    // Turns while they wait are not sent to the lobby.
    await lobbyHost.ok('turnPage', { page: 5 });
    await lobbyHost.ok('turnPage', { page: 4 });
    await waiting.request('raiseHand', { raised: false }); // refused in the lobby, but a barrier all the same
    expect(changes(waiting)).toEqual([]);
    expect(await lobbyHost.ok('admitFromLobby', { guestId: 'all' })).toEqual({ admitted: 1 });
    expect(await eventually(() => waiting.notifications('admitted').length === 1)).toBe(true);
    expect(waiting.notifications('admitted')[0]?.storytime).toMatchObject({ book: { bookId }, page: 4 });
  });

  it('gives a reconnecting reader their role and the same page back, with or without their media', async () => {
    const { roomId, room, host, child, childId, childJoin } = await storyRoom();
    await host.ok('openBook', { bookId });
    await host.ok('setReader', { peerId: childId });
    await child.ok('turnPage', { page: 5 });
    const version = room.storytime.snapshot().version;

    child.close();
    expect(await eventually(() => host.notifications('peerConnectionState').some((n) => n.peerId === childId && n.state === 'reconnecting'))).toBe(true);
    const back = await connect();
    const resumed = await back.joinCall({
      roomId, // no invitation needed: the resume secret is what counts
      displayName: 'Ilona',
      resume: { peerId: childId, secret: childJoin.resumeSecret, keepMedia: true },
    });
    expect(resumed).toMatchObject({ peerId: childId, mediaKept: true });
    expect(resumed.storytime).toMatchObject({ page: 5, readerId: childId, version });

    // A tab that lost its media too comes back under the same id, still reading.
    back.close();
    expect(await eventually(() => host.notifications('peerConnectionState').filter((n) => n.peerId === childId && n.state === 'reconnecting').length === 2)).toBe(true);
    const again = await connect();
    const fresh = await again.joinCall({
      roomId,
      displayName: 'Ilona',
      resume: { peerId: childId, secret: resumed.resumeSecret },
    });
    expect(fresh).toMatchObject({ peerId: childId, mediaKept: false });
    expect(fresh.storytime).toMatchObject({ page: 5, readerId: childId, version });
    expect(await again.ok('turnPage', { page: 6 })).toMatchObject({ page: 6, readerId: childId });

    // Leaving for good leaves nobody reading, and everyone is told.
    await again.ok('leaveRoom', {});
    const left = await changeSeen(host, version + 2);
    expect(left).toMatchObject({ state: { readerId: null, turnerId: null, page: 6 }, by: null });
  });

  it('answers malformed storytime requests with validation errors and keeps serving', async () => {
    const { room, host } = await storyRoom();
    await host.ok('openBook', { bookId });
    const before = room.storytime.snapshot();
    const validation = { ok: false, error: { code: 'validation' } };
    expect(await host.raw('turnPage', { page: 0 })).toMatchObject(validation);
    expect(await host.raw('turnPage', { page: 1e9 })).toMatchObject(validation);
    expect(await host.raw('turnPage', { page: 2.5 })).toMatchObject(validation);
    expect(await host.raw('turnPage', { page: '3' })).toMatchObject(validation);
    expect(await host.raw('turnPage', null)).toMatchObject(validation);
    expect(await host.raw('pointAt', { point: { x: 2, y: 0.5 } })).toMatchObject(validation);
    expect(await host.raw('pointAt', { point: { x: Number.NaN, y: 0.5 } })).toMatchObject(validation);
    expect(await host.raw('lookHere', { point: null })).toMatchObject(validation);
    expect(await host.raw('openBook', { bookId: 'not-a-uuid' })).toMatchObject(validation);
    expect(await host.raw('openBook', { bookId: { $gt: '' } })).toMatchObject(validation);
    expect(await host.raw('setTurner', { peerId: 'x'.repeat(500) })).toMatchObject(validation);
    // Well-formed but beyond this book, or not on the shelf at all.
    expect(await host.request('turnPage', { page: 9 })).toMatchObject({ ok: false, error: { code: 'invalid-state', reason: 'page-out-of-range' } });
    expect(await host.request('openBook', { bookId: '00000000-0000-4000-8000-000000000000' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    expect(room.storytime.snapshot()).toEqual(before);
    expect(await host.ok('turnPage', { page: 8 })).toMatchObject({ page: 8 });
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  });

  it('has no storytime in a peer-group room', async () => {
    const { room, host, child } = await storyRoom('peer-group');
    const notAllowed = { ok: false, error: { code: 'invalid-state', reason: 'storytime-not-allowed' } };
    expect(await child.request('openBook', { bookId })).toMatchObject(notAllowed);
    expect(await host.request('openBook', { bookId })).toMatchObject(notAllowed);
    expect(room.storytime.snapshot().version).toBe(0);
  });

  it('refuses every reader and host action to a plain guest, and nothing changes', async () => {
    const { room, host, child, cousin, childId, cousinId } = await storyRoom();
    expect(await child.request('openBook', { bookId })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await host.ok('openBook', { bookId });
    await host.ok('turnPage', { page: 2 });
    await changeSeen(child, 2);
    const before = room.storytime.snapshot();
    const attempts = await Promise.all([
      child.request('openBook', { bookId }),
      child.request('closeBook', {}),
      child.request('turnPage', { page: 3 }),
      child.request('setReader', { peerId: childId }),
      child.request('setTurner', { peerId: childId }),
      child.request('setTurner', { peerId: cousinId }),
      child.request('setTurner', { peerId: null }),
      child.request('pointAt', { point: { x: 0.5, y: 0.5 } }),
    ]);
    for (const reply of attempts) expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await settled(host);
    await settled(cousin);
    expect(room.storytime.snapshot()).toEqual(before);
    expect(changes(host)).toHaveLength(2);
    expect(changes(cousin)).toHaveLength(2);
    expect(cousin.notifications('storytimePointer')).toEqual([]);
  });
});
