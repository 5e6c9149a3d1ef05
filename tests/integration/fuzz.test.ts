import { ERROR_CODES } from '@tupa/signaling/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageFactory, seededRandom, type FuzzContext } from '../support/fuzz.ts';
import { opusParameters } from '../support/rtpFixtures.ts';
import { eventually, startTestServer, type TestServer } from '../support/server.ts';
import { TestClient } from '../support/signalingClient.ts';

// Bounded here; `TUPA_FUZZ_MESSAGES=200000 npm test -- fuzz` runs it longer.
const MESSAGES = Number(process.env.TUPA_FUZZ_MESSAGES ?? 10_000);
const SOCKETS = 24;
const SEED = Number(process.env.TUPA_FUZZ_SEED ?? 20261125);

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({
    // Limits high enough that every message reaches validation instead of the rate limiter.
    signaling: {
      limits: { requestBurst: 1e9, requestsPerSecond: 1e9, maxViolations: 1e9, connectionsPerAddressPerMinute: 1e6, connectionsPerPlacePerMinute: 1e6 },
    },
  });
});
afterAll(async () => {
  await t?.stop();
});

describe('protocol fuzzing', () => {
  it(`survives ${MESSAGES} malformed messages over ${SOCKETS} sockets and leaves no media objects`, async () => {
    const roomResponse = await fetch(`${t.url}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const { roomId } = (await roomResponse.json()) as { roomId: string };
    const context: FuzzContext = { roomId, transportIds: [], producerIds: [] };

    // Half the sockets are in the room with real transports and a real producer, so the
    // attacks reach stateful handlers and the worker, not only the schemas.
    const sockets: TestClient[] = [];
    for (let i = 0; i < SOCKETS; i++) {
      const c = await TestClient.connect(t.url);
      sockets.push(c);
      if (i % 2 === 0) {
        await c.ok('joinRoom', { roomId, displayName: `Fuzz ${i}` });
        const send = await c.ok('createTransport', { direction: 'send' });
        const recv = await c.ok('createTransport', { direction: 'recv' });
        context.transportIds.push(send.transportId, recv.transportId);
        if (i === 0) {
          const p = await c.ok('produce', { transportId: send.transportId, kind: 'audio', source: 'microphone', rtpParameters: opusParameters() });
          context.producerIds.push(p.producerId);
        }
      }
    }
    const workerPid = (await t.server.media.workerStats())[0]?.pid;
    const factory = new MessageFactory(seededRandom(SEED), context);
    const codes = new Map<string, number>();
    let sent = 0;
    let badShape = 0;
    const BATCH = 200;
    while (sent < MESSAGES) {
      const batch: Promise<void>[] = [];
      for (let i = 0; i < BATCH && sent < MESSAGES; i++, sent++) {
        let client = sockets[sent % SOCKETS] as TestClient;
        if (!client.socket.connected) {
          client = await TestClient.connect(t.url);
          sockets[sent % SOCKETS] = client;
        }
        const { event, payload } = factory.next();
        batch.push(
          client.raw(event, payload).then(
            (reply) => {
              const r = reply as { ok?: unknown; error?: { code?: unknown } };
              const code = r.ok === true ? 'ok' : String(r.error?.code);
              if (r.ok !== true && !(ERROR_CODES as readonly string[]).includes(code)) badShape++;
              codes.set(code, (codes.get(code) ?? 0) + 1);
            },
            () => {
              // Reserved names ('connect', 'disconnect') are refused by the client library itself.
              codes.set('no-reply', (codes.get('no-reply') ?? 0) + 1);
            },
          ),
        );
      }
      await Promise.all(batch);
    }
    console.log(`fuzz: ${sent} messages, seed ${SEED}, replies by code: ${JSON.stringify(Object.fromEntries(codes))}`);
    expect(badShape).toBe(0);
    expect(codes.get('validation') ?? 0).toBeGreaterThan(MESSAGES / 2);
    expect(codes.get('internal') ?? 0).toBe(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    // The worker is the same process and still serves.
    expect((await t.server.media.workerStats()).map((w) => w.pid)).toEqual([workerPid]);

    for (const c of sockets) c.close();
    expect(await eventually(() => t.server.registry.size === 0, 10_000)).toBe(true);
    expect(t.server.mediaCounts()).toEqual({ routers: 0, transports: 0, producers: 0, consumers: 0 });
    expect(await t.server.media.workerCounts()).toEqual({ routers: 0, transports: 0, producers: 0, consumers: 0 });

    // And a well-behaved client still gets a normal call going.
    const fine = await TestClient.connect(t.url);
    const joined = await fine.joinCall({ roomId, displayName: 'After' });
    expect(joined.peers).toEqual([]);
    fine.close();
  }, 120_000);

  it('drops a socket that keeps sending garbage, and rate-limits a flood of requests', async () => {
    const strict = await startTestServer({
      signaling: { limits: { requestBurst: 10, requestsPerSecond: 1, maxViolations: 20, connectionsPerAddressPerMinute: 1000, connectionsPerPlacePerMinute: 20 } },
    });
    try {
      const flooder = await TestClient.connect(strict.url);
      const replies = await Promise.all(
        Array.from({ length: 15 }, () => flooder.request('leaveRoom', {}) as Promise<{ ok: boolean; error?: { code: string } }>),
      );
      expect(replies.filter((r) => r.error?.code === 'rate-limited').length).toBe(5);
      const garbage = await TestClient.connect(strict.url);
      const disconnected = new Promise<void>((resolve) => garbage.socket.once('disconnect', () => resolve()));
      const rawSocket = garbage.socket as unknown as { emit(event: string): void };
      for (let i = 0; i < 20; i++) rawSocket.emit('noSuchEvent');
      await disconnected;
      expect(garbage.socket.connected).toBe(false);
      flooder.close();
    } finally {
      await strict.stop();
    }
  });
});
