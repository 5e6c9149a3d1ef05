import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { defaultConnectionLimits } from '@tupa/signaling';
import { PROTOCOL_VERSION } from '@tupa/signaling/protocol';
import { io } from 'socket.io-client';
import { ReturningClient } from '../support/returningClient.ts';
import { createRoom, staffAccounts, type StaffAccounts } from '../support/staffAccounts.ts';
import { eventually, startTestServer, type TestServer } from '../support/server.ts';

// Every way into a call can be taken back after a drop, and a whole venue behind one address
// comes back after two blips in a row. The server keeps places for 20 s (production default)
// and limits new connections per address as in production (120 a minute).

const GRACE_SECONDS = 20;

let t: TestServer;
let staff: StaffAccounts;
const clients: ReturningClient[] = [];

beforeAll(async () => {
  // 60 new connections a minute per address (production: 120), so that the 48 first joins fit
  // but the 96 returns after two blips could never pass uncounted.
  t = await startTestServer({
    env: { RECONNECT_GRACE_SECONDS: String(GRACE_SECONDS), ROOM_CAPACITY: '12' },
    signaling: { limits: { ...defaultConnectionLimits, connectionsPerAddressPerMinute: 60 } },
  });
  staff = await staffAccounts(t.url);
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.leave()));
});

afterAll(async () => {
  await t?.stop();
});

async function join(payload: Parameters<typeof ReturningClient.join>[1], cookie?: string): Promise<ReturningClient> {
  const client = await ReturningClient.join(t.url, payload, cookie);
  clients.push(client);
  return client;
}

/** Drops the transport under every open socket, as a Wi-Fi to mobile switch does. */
function blipEveryone(): number {
  const sockets = [...t.server.signaling.io.sockets.sockets.values()];
  for (const socket of sockets) socket.conn.close();
  return sockets.length;
}

async function invitation(roomId: string): Promise<{ token: string; code: string }> {
  const created = await staff.coordinator.send('POST', `/api/admin/rooms/${roomId}/invitations`, { role: 'guest', validHours: 24 });
  expect(created.status).toBe(201);
  return created.json as { token: string; code: string };
}

describe('every way in can be resumed', () => {
  it('takes back the place of a direct joiner, a guest admitted from the lobby, a code joiner and a waiting guest', async () => {
    const roomId = await createRoom(staff.coordinator, { name: 'Satutunti', kind: 'storytime', lobbyEnabled: true, capacity: 8 });
    const host = await join({ roomId, displayName: 'Kaisa' }, staff.coordinator.cookie);
    expect(host.admission).toBe('in');
    const admittedGuest = await join({ invitation: { token: (await invitation(roomId)).token }, displayName: 'Mummo' });
    const codeGuest = await join({ invitation: { code: (await invitation(roomId)).code }, displayName: 'Pappa' });
    const stillWaiting = await join({ invitation: { token: (await invitation(roomId)).token }, displayName: 'Eeva' });
    for (const guest of [admittedGuest, codeGuest, stillWaiting]) expect(guest.admission).toBe('lobby');
    const hostView = host.socket;

    const room = t.server.registry.get(roomId)!;
    for (const guest of [admittedGuest, codeGuest]) {
      const reply = (await hostView.timeout(5000).emitWithAck('admitFromLobby', { guestId: guest.place!.peerId })) as { ok: boolean };
      expect(reply.ok).toBe(true);
    }
    expect(await eventually(() => admittedGuest.admission === 'in' && codeGuest.admission === 'in')).toBe(true);
    const places = new Map(clients.map((c) => [c, c.place!.peerId]));
    expect(room.size).toBe(3);

    // A drop for everyone at once.
    blipEveryone();
    expect(await eventually(() => clients.every((c) => c.resumes === 1), 15_000)).toBe(true);
    for (const c of clients) {
      expect(c.place!.peerId).toBe(places.get(c));
      expect(c.removed).toEqual([]);
      expect(c.failures.filter((f) => f.startsWith('resume'))).toEqual([]);
    }
    // Back in the call, not sent to the lobby; the waiting guest keeps their place in the queue.
    expect([host, admittedGuest, codeGuest].map((c) => c.admission)).toEqual(['in', 'in', 'in']);
    expect(stillWaiting.admission).toBe('lobby');
    expect(room.size).toBe(3);
    expect(room.peer(admittedGuest.place!.peerId)?.role).toBe('guest');
    // The waiting guest is in the lobby once, not twice.
    expect(room.lobbySize).toBe(1);

    // Let in while away: the guest comes back into the call, with the same id.
    const away = stillWaiting.place!.peerId;
    stillWaiting.socket.disconnect();
    expect(await eventually(() => !room.peer(away) && !stillWaiting.connected, 5000)).toBe(true);
    const admitted = (await hostView.timeout(5000).emitWithAck('admitFromLobby', { guestId: away })) as { ok: boolean; data: { admitted: number } };
    expect(admitted).toMatchObject({ ok: true, data: { admitted: 1 } });
    expect(room.peer(away)?.away).toBe(true);
    stillWaiting.socket.connect();
    expect(await eventually(() => stillWaiting.resumes === 2, 15_000)).toBe(true);
    expect(stillWaiting.admission).toBe('in');
    expect(stillWaiting.place!.peerId).toBe(away);
    expect(room.peer(away)?.away).toBe(false);
    expect(room.size).toBe(4);

    await Promise.all(clients.splice(0).map((c) => c.leave()));
    expect(await eventually(() => t.server.registry.size === 0, 10_000)).toBe(true);
  }, 60_000);

  it('tells a tab that was away when a host removed it why, instead of "join again"', async () => {
    const roomId = await createRoom(staff.coordinator, { name: 'Ryhmä', kind: 'peer-group', lobbyEnabled: false, capacity: 8 });
    const host = await join({ roomId, displayName: 'Kaisa' }, staff.coordinator.cookie);
    const guest = await join({ invitation: { token: (await invitation(roomId)).token }, displayName: 'Pekka' });
    const room = t.server.registry.get(roomId)!;
    guest.socket.disconnect();
    expect(await eventually(() => room.peer(guest.place!.peerId)?.away === true)).toBe(true);
    const removed = (await host.socket.timeout(5000).emitWithAck('removeParticipant', { peerId: guest.place!.peerId })) as { ok: boolean };
    expect(removed.ok).toBe(true);
    guest.socket.connect();
    expect(await eventually(() => guest.failures.includes('resume: forbidden'), 10_000)).toBe(true);
    expect(room.peer(guest.place!.peerId)).toBeUndefined();
    const again = (await guest.socket.timeout(5000).emitWithAck('joinRoom', {
      invitation: { token: 'x'.repeat(22) },
      displayName: 'Pekka',
      resume: { ...guest.place!, keepMedia: true },
    })) as { ok: boolean; error?: { reason?: string } };
    expect(again).toMatchObject({ ok: false, error: { reason: 'removed-by-host' } });
  });
});

describe('households and venues behind one address', () => {
  it('brings all 48 people from one address in 4 rooms back after two blips 6 s apart, and still limits floods', async () => {
    const rooms: string[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await fetch(`${t.url}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      rooms.push(((await response.json()) as { roomId: string }).roomId);
    }
    const people: ReturningClient[] = [];
    for (let i = 0; i < 48; i++) people.push(await join({ roomId: rooms[i % 4]!, displayName: `Vanhempi ${i + 1}` }));
    const placeOf = new Map(people.map((p) => [p, p.place!.peerId]));

    // Two blips in a row, 6 s apart: 48 + 96 connections from 127.0.0.1 within a minute,
    // far beyond the 60 a minute this server lets one address open.
    expect(blipEveryone()).toBe(48);
    expect(await eventually(() => people.every((p) => p.resumes >= 1), GRACE_SECONDS * 1000)).toBe(true);
    await new Promise((r) => setTimeout(r, 6000));
    blipEveryone();
    const started = Date.now();
    const allBack = await eventually(() => people.every((p) => p.resumes >= 2 && p.connected), GRACE_SECONDS * 1000, 100);
    const missing = people.filter((p) => p.resumes < 2).map((p) => p.failures.slice(-3));
    expect(missing).toEqual([]);
    expect(allBack).toBe(true);
    // Nobody was ever turned away at the door: returns are not counted against the address.
    expect(people.flatMap((p) => p.failures)).toEqual([]);
    console.log(`48 people back ${Date.now() - started} ms after the second blip`);

    for (const p of people) {
      expect(p.place!.peerId).toBe(placeOf.get(p));
      expect(p.removed).toEqual([]);
    }
    for (const roomId of rooms) {
      const room = t.server.registry.get(roomId)!;
      expect(room.size).toBe(12);
      expect(room.peerInfos().every((peer) => !peer.reconnecting)).toBe(true);
    }

    // New connections without a place are still limited per address, and so is a made-up place.
    const attempt = (auth: Record<string, unknown>) => {
      const socket = io(t.url, { transports: ['websocket'], forceNew: true, reconnection: false, auth });
      return new Promise<string>((resolve) => {
        socket.once('connect', () => resolve('connected'));
        socket.once('connect_error', (error) => resolve(error.message));
      }).finally(() => socket.disconnect());
    };
    const flood = Array.from({ length: 130 }, () => attempt({ protocolVersion: PROTOCOL_VERSION }));
    const outcomes = await Promise.all(flood);
    const forged = attempt({ protocolVersion: PROTOCOL_VERSION, resume: { peerId: people[0]!.place!.peerId, secret: 'not-the-secret' } });
    expect(outcomes.filter((o) => o === 'rate-limited').length).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o === 'connected').length).toBeLessThanOrEqual(60);
    expect(await forged).toBe('rate-limited');

    await Promise.all(people.map((p) => p.leave()));
    expect(await eventually(() => rooms.every((roomId) => !t.server.registry.get(roomId)), 10_000)).toBe(true);
  }, 120_000);
});

describe('what a returning connection may do', () => {
  it('counts a connection let in to take back a place like any other once it is used for a new one', async () => {
    // A server of its own, allowing 5 new connections a minute from one address.
    const t = await startTestServer({
      env: { RECONNECT_GRACE_SECONDS: String(GRACE_SECONDS) },
      signaling: { limits: { ...defaultConnectionLimits, connectionsPerAddressPerMinute: 5 } },
    });
    onTestFinished(() => t.stop());
    const roomId = ((await (await fetch(`${t.url}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as { roomId: string }).roomId;
    const person = await ReturningClient.join(t.url, { roomId, displayName: 'Aino' });
    onTestFinished(() => person.close());
    // Use up the address's allowance of new connections.
    const attempt = (auth: Record<string, unknown>) => {
      const socket = io(t.url, { transports: ['websocket'], forceNew: true, reconnection: false, auth });
      return new Promise<{ outcome: string; socket: typeof socket }>((resolve) => {
        socket.once('connect', () => resolve({ outcome: 'connected', socket }));
        socket.once('connect_error', (error) => resolve({ outcome: error.message, socket }));
      });
    };
    const flood = await Promise.all(Array.from({ length: 10 }, () => attempt({ protocolVersion: PROTOCOL_VERSION })));
    for (const { socket } of flood) socket.disconnect();
    expect(flood.some((f) => f.outcome === 'rate-limited')).toBe(true);

    // The place's own credential still gets a connection in...
    const returning = await attempt({ protocolVersion: PROTOCOL_VERSION, resume: person.place });
    expect(returning.outcome).toBe('connected');
    // ...but not a new place through it.
    const newPlace = (await returning.socket.timeout(5000).emitWithAck('joinRoom', { roomId, displayName: 'Mallory' })) as {
      ok: boolean;
      error?: { code: string };
    };
    expect(newPlace).toMatchObject({ ok: false, error: { code: 'rate-limited' } });
    // ...not at the second try either: it stays counted until the address has room.
    const again = (await returning.socket.timeout(5000).emitWithAck('joinRoom', { roomId, displayName: 'Mallory' })) as { ok: boolean };
    expect(again).toMatchObject({ ok: false, error: { code: 'rate-limited' } });
    // And a place holds at most two uncounted connections open at once.
    const second = await attempt({ protocolVersion: PROTOCOL_VERSION, resume: person.place });
    const third = await attempt({ protocolVersion: PROTOCOL_VERSION, resume: person.place });
    expect([second.outcome, third.outcome]).toEqual(['connected', 'rate-limited']);
    second.socket.disconnect();
    third.socket.disconnect();
    returning.socket.disconnect();
    await person.leave();
  });

});
