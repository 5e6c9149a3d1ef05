import { PROTOCOL_VERSION } from '@tupa/signaling/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opusParameters, vp8Parameters } from '../support/rtpFixtures.ts';
import { eventually, startTestServer, type TestServer } from '../support/server.ts';
import { TestClient } from '../support/signalingClient.ts';
import { createInvitation, createRoom, firstCoordinator } from '../support/staffAccounts.ts';

let t: TestServer;
const clients: TestClient[] = [];

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  for (const c of clients) c.close();
  await t?.stop();
});

async function client(): Promise<TestClient> {
  const c = await TestClient.connect(t.url);
  clients.push(c);
  return c;
}

async function newRoomId(): Promise<string> {
  const response = await fetch(`${t.url}/api/rooms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  expect(response.status).toBe(201);
  const body = (await response.json()) as { roomId: string };
  return body.roomId;
}

const zero = { routers: 0, transports: 0, producers: 0, consumers: 0 };

describe('signaling with a real worker and database', () => {
  it('refuses a client with another protocol version with a clear reason', async () => {
    const old = new TestClient(t.url, { protocolVersion: PROTOCOL_VERSION + 1 });
    clients.push(old);
    const error = await new Promise<Error & { data?: unknown }>((resolve) => old.socket.once('connect_error', resolve));
    expect(error.message).toBe('protocol-version');
    expect(error.data).toEqual({ code: 'protocol-version', serverVersion: PROTOCOL_VERSION });
  });

  it('refuses a connection from a page of another site', async () => {
    const foreign = new TestClient(t.url, undefined, { origin: 'https://evil.example' });
    clients.push(foreign);
    const error = await new Promise<Error>((resolve) => foreign.socket.once('connect_error', resolve));
    expect(error.message).toBe('forbidden-origin');
    const own = new TestClient(t.url, undefined, { origin: t.url });
    clients.push(own);
    await new Promise<void>((resolve, reject) => {
      own.socket.once('connect', () => resolve());
      own.socket.once('connect_error', reject);
    });
  });

  it('answers a join to a room that does not exist with not-found', async () => {
    const c = await client();
    const reply = await c.request('joinRoom', { roomId: 'AAAAAAAAAAAAAAAAAAAAAA', displayName: 'Aino' });
    expect(reply).toEqual({ ok: false, error: { code: 'not-found', message: 'no such room' } });
  });

  it('rejects malformed and unknown messages with an error reply and stays up', async () => {
    const c = await client();
    const pid = (await t.server.media.workerStats())[0]?.pid;
    const bad: Array<[string, ...unknown[]]> = [
      ['joinRoom', { roomId: 42 }],
      ['joinRoom', 'not an object'],
      ['joinRoom', { roomId: 'x'.repeat(22), displayName: '' }],
      ['joinRoom', JSON.parse('{"__proto__": {"polluted": true}, "roomId": "AAAAAAAAAAAAAAAAAAAAAA"}')],
      ['createTransport', { direction: 'sideways' }],
      ['produce', { transportId: 'x', kind: 'video', source: 'camera', rtpParameters: { codecs: [], encodings: [] } }],
      ['connectTransport', { transportId: 'x', dtlsParameters: { fingerprints: [] } }],
      ['noSuchEvent', {}],
      ['constructor', {}],
      ['__proto__', {}],
    ];
    for (const [event, ...args] of bad) {
      const reply = (await c.raw(event, ...args)) as { ok: boolean; error?: { code: string } };
      expect(reply.ok, `${event} must be refused`).toBe(false);
      expect(reply.error?.code).toBe('validation');
    }
    // Requests that need a room are refused before joining.
    const early = await c.request('createTransport', { direction: 'send' });
    expect(early).toMatchObject({ ok: false, error: { code: 'invalid-state' } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // The same connection and the worker still work.
    const roomId = await newRoomId();
    const joined = await c.request('joinRoom', { roomId, displayName: 'Aino' });
    expect(joined.ok).toBe(true);
    expect((await t.server.media.workerStats()).map((w) => w.pid)).toEqual([pid]);
    await c.ok('leaveRoom', {});
  });

  it('runs a room lifecycle: join, produce, consume, leave; nothing is left behind', async () => {
    const roomId = await newRoomId();
    const alice = await client();
    const bob = await client();

    const a = await alice.joinCall({ roomId, displayName: 'Aino' });
    expect(a.peers).toEqual([]);
    const send = await alice.ok('createTransport', { direction: 'send' });
    expect(send.iceCandidates.map((c) => c.protocol).sort()).toEqual(['tcp', 'udp']);
    const mic = await alice.ok('produce', {
      transportId: send.transportId,
      kind: 'audio',
      source: 'microphone',
      rtpParameters: opusParameters(),
    });
    const cam = await alice.ok('produce', {
      transportId: send.transportId,
      kind: 'video',
      source: 'camera',
      rtpParameters: vp8Parameters(),
    });

    const b = await bob.joinCall({ roomId, displayName: 'Eino' });
    expect(b.peers).toHaveLength(1);
    expect(b.peers[0]?.peerId).toBe(a.peerId);
    expect(b.peers[0]?.producers.map((p) => p.producerId).sort()).toEqual([mic.producerId, cam.producerId].sort());
    expect(await eventually(() => alice.notifications('peerJoined').length === 1)).toBe(true);
    expect(alice.notifications('peerJoined')[0]?.peer.peerId).toBe(b.peerId);

    const recv = await bob.ok('createTransport', { direction: 'recv' });
    const consumer = await bob.ok('consume', {
      transportId: recv.transportId,
      producerId: cam.producerId,
      rtpCapabilities: b.routerRtpCapabilities,
    });
    expect(consumer).toMatchObject({ producerId: cam.producerId, peerId: a.peerId, kind: 'video' });
    await bob.ok('resumeConsumer', { consumerId: consumer.consumerId });
    // Consuming from a send transport, or one's own producer, is refused.
    const wrong = await bob.request('consume', {
      transportId: 'no-such-transport',
      producerId: cam.producerId,
      rtpCapabilities: b.routerRtpCapabilities,
    });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'not-found' } });

    expect(t.server.mediaCounts()).toEqual({ routers: 1, transports: 2, producers: 2, consumers: 1 });
    expect(await t.server.media.workerCounts()).toEqual({ routers: 1, transports: 2, producers: 2, consumers: 1 });

    // Closing the camera closes Bob's consumer and tells him.
    await alice.ok('closeProducer', { producerId: cam.producerId });
    expect(await eventually(() => bob.notifications('consumerClosed').length === 1)).toBe(true);
    expect(bob.notifications('producerClosed')[0]?.producerId).toBe(cam.producerId);

    // Alice disconnects without saying goodbye: Bob is told, her media is gone.
    alice.close();
    expect(await eventually(() => bob.notifications('peerLeft').some((n) => n.peerId === a.peerId))).toBe(true);
    expect(t.server.mediaCounts()).toEqual({ routers: 1, transports: 1, producers: 0, consumers: 0 });

    bob.close();
    expect(await eventually(() => t.server.registry.size === 0)).toBe(true);
    expect(t.server.mediaCounts()).toEqual(zero);
    expect(await t.server.media.workerCounts()).toEqual(zero);
  });

  it('lets a reconnecting tab resume its place without a duplicate', async () => {
    const roomId = await newRoomId();
    const watcher = await client();
    await watcher.ok('joinRoom', { roomId, displayName: 'Watcher' });
    const first = await client();
    const joined = await first.ok('joinRoom', { roomId, displayName: 'Aino' });
    await first.ok('createTransport', { direction: 'send' });

    const second = await client();
    const resumed = await second.ok('joinRoom', {
      roomId,
      displayName: 'Aino',
      resume: { peerId: joined.peerId, secret: joined.resumeSecret },
    });
    expect(resumed.peerId).toBe(joined.peerId);
    expect(t.server.registry.get(roomId)?.size).toBe(2);
    expect(await eventually(() => first.notifications('removed').length === 1)).toBe(true);
    expect(first.notifications('removed')[0]).toEqual({ reason: 'replaced' });
    // The old tab's transport was closed with it.
    expect(t.server.mediaCounts().transports).toBe(0);

    // A wrong secret does not take anyone's place, nor does it join anyone afresh.
    const intruder = await client();
    const other = await intruder.request('joinRoom', {
      roomId,
      displayName: 'Mallory',
      resume: { peerId: joined.peerId, secret: 'wrong' },
    });
    expect(other).toMatchObject({ ok: false, error: { code: 'not-found', reason: 'place-gone' } });
    expect(t.server.registry.get(roomId)?.size).toBe(2);
    expect(second.notifications('removed')).toEqual([]);
    for (const c of [watcher, first, second, intruder]) c.close();
    expect(await eventually(() => t.server.registry.size === 0)).toBe(true);
  });

  it('tells people in the lobby whether a host is there, and when one arrives or leaves', async () => {
    const coordinator = await firstCoordinator(t.url);
    const roomId = await createRoom(coordinator, { lobbyEnabled: true });
    const token = await createInvitation(coordinator, roomId);
    const mummo = await client();
    const waiting = await mummo.ok('joinRoom', { invitation: { token }, displayName: 'Mummo' });
    expect(waiting).toMatchObject({ admission: 'lobby', hostPresent: false });

    const host = new TestClient(t.url, undefined, { cookie: coordinator.cookie });
    clients.push(host);
    const hostIn = await host.ok('joinRoom', { roomId, displayName: 'Kaisa' });
    expect(hostIn).toMatchObject({ role: 'host', admission: 'in', hostPresent: true });
    expect(await eventually(() => mummo.notifications('hostPresenceChanged').length === 1)).toBe(true);
    expect(mummo.notifications('hostPresenceChanged')).toEqual([{ present: true }]);
    // Someone arriving now hears at once that the host is there.
    const pappa = await client();
    expect(await pappa.ok('joinRoom', { invitation: { token }, displayName: 'Pappa' })).toMatchObject({ admission: 'lobby', hostPresent: true });

    // The host goes: both waiting hear it; the host never hears of its own presence.
    await host.ok('leaveRoom', {});
    for (const guest of [mummo, pappa]) {
      expect(await eventually(() => guest.notifications('hostPresenceChanged').at(-1)?.present === false)).toBe(true);
    }
    expect(mummo.notifications('hostPresenceChanged')).toEqual([{ present: true }, { present: false }]);
    expect(host.notifications('hostPresenceChanged')).toEqual([]);
    for (const c of [mummo, pappa, host]) c.close();
    expect(await eventually(() => t.server.registry.size === 0)).toBe(true);
  });

  it('refuses a join beyond the room capacity', async () => {
    const roomId = await newRoomId();
    const joined: TestClient[] = [];
    for (let i = 0; i < t.server.config.roomCapacity; i++) {
      const c = await client();
      await c.ok('joinRoom', { roomId, displayName: `P${i}` });
      joined.push(c);
    }
    const late = await client();
    const reply = await late.request('joinRoom', { roomId, displayName: 'Late' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden', message: 'room is full' } });
    for (const c of [...joined, late]) c.close();
    expect(await eventually(() => t.server.registry.size === 0)).toBe(true);
  });
});
