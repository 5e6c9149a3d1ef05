import { defaultConnectionLimits } from '@tupa/signaling';
import type { RequestName, RequestPayload } from '@tupa/signaling/protocol';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { opusParameters, vp8SimulcastParameters } from '../support/rtpFixtures.ts';
import { eventually, startTestServer, type TestServer } from '../support/server.ts';
import { TestClient } from '../support/signalingClient.ts';

// Every media request sent twice in a row, twice at once, after its object closed, and while
// its object closes. The answer is always ok, not-found or invalid-state: never `internal`,
// nothing logged at error level, and nothing left in Tupa's maps or in the worker afterwards.
//
// Races between two sockets cannot be ordered from outside, so each is asserted for every
// order it may take and repeated a few times to meet the narrow ones; requests on one socket
// reach their handlers in the order sent, which makes the same-socket races exact. The
// worker-side interleavings are pinned down deterministically in media-server's PeerMedia tests.

const ROUNDS = 4;

interface LogRecord {
  level: number;
  msg?: string;
  [key: string]: unknown;
}
const logs: LogRecord[] = [];
const logger = pino({ level: 'warn' }, { write: (line: string) => void logs.push(JSON.parse(line) as LogRecord) });

/** Every answer of this file, to check that none is `internal`. */
const answers: Array<{ name: string; code: string; message: string }> = [];

let t: TestServer;
const clients: TestClient[] = [];

beforeAll(async () => {
  t = await startTestServer({
    logger,
    // Many requests on one socket in a burst: the rate limiter is not what these tests look at.
    signaling: { limits: { ...defaultConnectionLimits, requestBurst: 1e6, requestsPerSecond: 1e6 } },
  });
});
afterEach(() => {
  const errors = logs.filter((record) => record.level >= 50);
  logs.length = 0;
  const internal = answers.filter((answer) => answer.code === 'internal');
  answers.length = 0;
  expect({ internal, errors }).toEqual({ internal: [], errors: [] });
});
afterAll(async () => {
  for (const c of clients) c.close();
  await t?.stop();
});

const zero = { routers: 0, transports: 0, producers: 0, consumers: 0 };
const dtlsParameters = {
  role: 'client' as const,
  fingerprints: [{ algorithm: 'sha-256' as const, value: Array.from({ length: 32 }, () => 'AB').join(':') }],
};

async function client(): Promise<TestClient> {
  const c = await TestClient.connect(t.url);
  clients.push(c);
  return c;
}

async function newRoomId(): Promise<string> {
  const response = await fetch(`${t.url}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  return ((await response.json()) as { roomId: string }).roomId;
}

/** Sends one request and returns its reply code ('ok' or the error code). */
async function ask<K extends RequestName>(c: TestClient, name: K, payload: RequestPayload<K>): Promise<string> {
  const reply = await c.request(name, payload);
  const code = reply.ok ? 'ok' : reply.error.code;
  answers.push({ name, code, message: reply.ok ? '' : reply.error.message });
  return code;
}

/** The codes of requests sent together, sorted so that either order compares equal. */
async function together(...requests: Promise<string>[]): Promise<string[]> {
  return (await Promise.all(requests)).sort();
}

/** Alice sends a microphone and a simulcast camera; Bob receives both and has resumed them. */
async function call() {
  const roomId = await newRoomId();
  const alice = await client();
  const bob = await client();
  const a = await alice.ok('joinRoom', { roomId, displayName: 'Aino' });
  const send = await alice.ok('createTransport', { direction: 'send' });
  const mic = await alice.ok('produce', { transportId: send.transportId, kind: 'audio', source: 'microphone', rtpParameters: opusParameters() });
  const cam = await alice.ok('produce', { transportId: send.transportId, kind: 'video', source: 'camera', rtpParameters: vp8SimulcastParameters() });
  const b = await bob.joinCall({ roomId, displayName: 'Eino' });
  const recv = await bob.ok('createTransport', { direction: 'recv' });
  const consumeRequest = (producerId: string) => ({ transportId: recv.transportId, producerId, rtpCapabilities: b.routerRtpCapabilities });
  const audio = await bob.ok('consume', consumeRequest(mic.producerId));
  const video = await bob.ok('consume', consumeRequest(cam.producerId));
  await bob.ok('resumeConsumer', { consumerId: audio.consumerId });
  await bob.ok('resumeConsumer', { consumerId: video.consumerId });
  return { roomId, alice, bob, a, b, send, recv, mic, cam, audio, video, consumeRequest };
}

/** A second tab takes the first one's place (without its media), as a reconnect does. */
async function replace(roomId: string, joined: { peerId: string; resumeSecret: string }): Promise<TestClient> {
  const tab = await client();
  await tab.ok('joinRoom', { roomId, displayName: 'Again', resume: { peerId: joined.peerId, secret: joined.resumeSecret } });
  return tab;
}

/** The producers the server holds for one participant. */
function joinedProducers(roomId: string, peerId: string) {
  return t.server.registry.get(roomId)?.peer(peerId)?.media.producers() ?? [];
}

/** Everyone leaves: the rooms close, and neither Tupa nor the worker holds any media object. */
async function everyoneLeaves(...leaving: TestClient[]): Promise<void> {
  for (const c of leaving) c.close();
  expect(await eventually(() => t.server.registry.size === 0, 10_000)).toBe(true);
  expect(t.server.mediaCounts()).toEqual(zero);
  expect(await t.server.media.workerCounts()).toEqual(zero);
}

describe('media requests repeated, crossed, and after or while their object closes', () => {
  it('createTransport', async () => {
    const roomId = await newRoomId();
    const c = await client();
    await c.ok('joinRoom', { roomId, displayName: 'Aino' });
    expect([await ask(c, 'createTransport', { direction: 'send' }), await ask(c, 'createTransport', { direction: 'recv' })]).toEqual(['ok', 'ok']);
    // Two more fit under the limit of four; of four at once, two are refused, never more made.
    const burst = await together(...Array.from({ length: 4 }, () => ask(c, 'createTransport', { direction: 'recv' })));
    expect(burst).toEqual(['invalid-state', 'invalid-state', 'ok', 'ok']);
    expect(t.server.mediaCounts().transports).toBe(4);

    for (let round = 0; round < ROUNDS; round++) {
      const tab = await client();
      const joined = await tab.ok('joinRoom', { roomId, displayName: 'Eino' });
      // In flight while the peer leaves, and while it is replaced by another tab.
      const [created, left] = await Promise.all([ask(tab, 'createTransport', { direction: 'send' }), ask(tab, 'leaveRoom', {})]);
      expect(['ok', 'invalid-state']).toContain(created);
      expect(left).toBe('ok');
      expect(await ask(tab, 'createTransport', { direction: 'send' })).toBe('invalid-state');

      const again = await tab.ok('joinRoom', { roomId, displayName: 'Eino' });
      const [inFlight] = await Promise.all([ask(tab, 'createTransport', { direction: 'recv' }), replace(roomId, again)]);
      expect(['ok', 'invalid-state']).toContain(inFlight);
      expect(await ask(tab, 'createTransport', { direction: 'recv' })).toBe('invalid-state');
      expect(joined.peerId).not.toBe(again.peerId);
    }
    await everyoneLeaves(...clients);
  });

  it('connectTransport', async () => {
    const roomId = await newRoomId();
    const c = await client();
    await c.ok('joinRoom', { roomId, displayName: 'Aino' });
    const first = await c.ok('createTransport', { direction: 'send' });
    expect(await ask(c, 'connectTransport', { transportId: first.transportId, dtlsParameters })).toBe('ok');
    expect(await ask(c, 'connectTransport', { transportId: first.transportId, dtlsParameters })).toBe('invalid-state');
    const second = await c.ok('createTransport', { direction: 'recv' });
    const both = await together(
      ask(c, 'connectTransport', { transportId: second.transportId, dtlsParameters }),
      ask(c, 'connectTransport', { transportId: second.transportId, dtlsParameters }),
    );
    expect(both).toEqual(['invalid-state', 'ok']);

    for (let round = 0; round < ROUNDS; round++) {
      const tab = await client();
      const joined = await tab.ok('joinRoom', { roomId, displayName: 'Eino' });
      const one = await tab.ok('createTransport', { direction: 'send' });
      const [connected] = await Promise.all([ask(tab, 'connectTransport', { transportId: one.transportId, dtlsParameters }), replace(roomId, joined)]);
      expect(['ok', 'invalid-state']).toContain(connected);
      expect(await ask(tab, 'connectTransport', { transportId: one.transportId, dtlsParameters })).toBe('invalid-state');
    }
    const tab = await client();
    await tab.ok('joinRoom', { roomId, displayName: 'Eino' });
    const last = await tab.ok('createTransport', { direction: 'recv' });
    const [connected] = await Promise.all([ask(tab, 'connectTransport', { transportId: last.transportId, dtlsParameters }), ask(tab, 'leaveRoom', {})]);
    expect(['ok', 'invalid-state']).toContain(connected);
    await everyoneLeaves(...clients);
  });

  it('restartIce', async () => {
    const roomId = await newRoomId();
    for (let round = 0; round < ROUNDS; round++) {
      const c = await client();
      const joined = await c.ok('joinRoom', { roomId, displayName: 'Aino' });
      const { transportId } = await c.ok('createTransport', { direction: 'send' });
      expect([await ask(c, 'restartIce', { transportId }), await ask(c, 'restartIce', { transportId })]).toEqual(['ok', 'ok']);
      expect(await together(ask(c, 'restartIce', { transportId }), ask(c, 'restartIce', { transportId }))).toEqual(['ok', 'ok']);
      const [restarted] = await Promise.all([ask(c, 'restartIce', { transportId }), replace(roomId, joined)]);
      expect(['ok', 'invalid-state']).toContain(restarted);
      expect(await ask(c, 'restartIce', { transportId })).toBe('invalid-state');
    }
    await everyoneLeaves(...clients);
  });

  it('produce', async () => {
    const roomId = await newRoomId();
    for (let round = 0; round < ROUNDS; round++) {
      const c = await client();
      const joined = await c.ok('joinRoom', { roomId, displayName: 'Aino' });
      const { transportId } = await c.ok('createTransport', { direction: 'send' });
      const mic = { transportId, kind: 'audio' as const, source: 'microphone' as const, rtpParameters: opusParameters() };
      const cam = { transportId, kind: 'video' as const, source: 'camera' as const, rtpParameters: vp8SimulcastParameters() };
      expect([await ask(c, 'produce', mic), await ask(c, 'produce', mic)]).toEqual(['ok', 'invalid-state']);
      // The same camera twice at once: one producer, one refusal (not the worker's SSRC clash).
      expect(await together(ask(c, 'produce', cam), ask(c, 'produce', cam))).toEqual(['invalid-state', 'ok']);
      expect(joinedProducers(roomId, joined.peerId)).toHaveLength(2);

      // On the transport of a peer that leaves meanwhile, and of one that has left.
      const camera = joinedProducers(roomId, joined.peerId).find((p) => p.source === 'camera');
      await c.ok('closeProducer', { producerId: camera?.producerId ?? '' });
      const [produced, left] = await Promise.all([ask(c, 'produce', cam), ask(c, 'leaveRoom', {})]);
      expect(['ok', 'invalid-state']).toContain(produced);
      expect(left).toBe('ok');
      expect(await ask(c, 'produce', cam)).toBe('invalid-state');

      // While the peer is replaced by its reconnecting tab.
      const again = await c.ok('joinRoom', { roomId, displayName: 'Aino' });
      const send = await c.ok('createTransport', { direction: 'send' });
      const [inFlight] = await Promise.all([ask(c, 'produce', { ...mic, transportId: send.transportId }), replace(roomId, again)]);
      expect(['ok', 'invalid-state']).toContain(inFlight);
    }
    await everyoneLeaves(...clients);
  });

  it('closeProducer', async () => {
    const { roomId, alice, a, mic, cam, send } = await call();
    const close = (producerId: string) => ask(alice, 'closeProducer', { producerId });
    expect([await close(mic.producerId), await close(mic.producerId)]).toEqual(['ok', 'not-found']);
    expect(await together(close(cam.producerId), close(cam.producerId))).toEqual(['not-found', 'ok']);
    // A pause sent right behind a close on the same socket finds the producer gone.
    for (let round = 0; round < ROUNDS; round++) {
      const { producerId } = await alice.ok('produce', { transportId: send.transportId, kind: 'audio', source: 'microphone', rtpParameters: opusParameters() });
      const [closed, paused] = await Promise.all([close(producerId), ask(alice, 'setProducerPaused', { producerId, paused: true })]);
      expect([closed, paused]).toEqual(['ok', 'not-found']);
    }
    const { producerId } = await alice.ok('produce', { transportId: send.transportId, kind: 'audio', source: 'microphone', rtpParameters: opusParameters() });
    await replace(roomId, a);
    expect(await close(producerId)).toBe('invalid-state');
    await everyoneLeaves(...clients);
  });

  it('setProducerPaused', async () => {
    const { roomId, alice, a, bob, mic, cam } = await call();
    const pause = (paused: boolean) => ask(alice, 'setProducerPaused', { producerId: mic.producerId, paused });
    expect([await pause(true), await pause(true), await pause(false), await pause(false)]).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(await together(pause(true), pause(true), pause(false), pause(false))).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(t.server.registry.get(roomId)?.peer(a.peerId)?.media.producers().find((p) => p.producerId === mic.producerId)?.paused).toBe(false);

    // In flight when the producer closes (unless the worker answered before the close came):
    // refused then, so nobody is told of a pause of a producer that is gone.
    const [paused, closed] = await Promise.all([
      ask(alice, 'setProducerPaused', { producerId: cam.producerId, paused: true }),
      ask(alice, 'closeProducer', { producerId: cam.producerId }),
    ]);
    expect(['ok', 'not-found']).toContain(paused);
    expect(closed).toBe('ok');
    expect(await ask(alice, 'setProducerPaused', { producerId: cam.producerId, paused: false })).toBe('not-found');
    expect(await eventually(() => bob.notifications('producerClosed').some((n) => n.producerId === cam.producerId))).toBe(true);
    const pausedNotices = bob.notifications('producerPaused').filter((n) => n.producerId === cam.producerId);
    expect(pausedNotices).toHaveLength(paused === 'ok' ? 1 : 0);

    for (let round = 0; round < ROUNDS; round++) {
      const tab = await client();
      const joined = await tab.ok('joinRoom', { roomId, displayName: 'Eino' });
      const t2 = await tab.ok('createTransport', { direction: 'send' });
      const { producerId } = await tab.ok('produce', { transportId: t2.transportId, kind: 'audio', source: 'microphone', rtpParameters: opusParameters() });
      const [inFlight] = await Promise.all([ask(tab, 'setProducerPaused', { producerId, paused: true }), replace(roomId, joined)]);
      expect(['ok', 'invalid-state']).toContain(inFlight);
      expect(await ask(tab, 'setProducerPaused', { producerId, paused: false })).toBe('invalid-state');
    }
    await everyoneLeaves(...clients);
  });

  it('consume', async () => {
    const { roomId, alice, bob, b, send, mic, cam, consumeRequest } = await call();
    // Twice: a second consumer of the same producer is allowed, as before.
    expect([await ask(bob, 'consume', consumeRequest(mic.producerId)), await ask(bob, 'consume', consumeRequest(mic.producerId))]).toEqual(['ok', 'ok']);
    expect(await together(ask(bob, 'consume', consumeRequest(mic.producerId)), ask(bob, 'consume', consumeRequest(mic.producerId)))).toEqual(['ok', 'ok']);

    await alice.ok('closeProducer', { producerId: cam.producerId });
    for (let round = 0; round < ROUNDS; round++) {
      const { producerId } = await alice.ok('produce', {
        transportId: send.transportId,
        kind: 'video',
        source: 'camera',
        rtpParameters: vp8SimulcastParameters(8000 + round * 100),
      });
      expect(await eventually(() => bob.notifications('producerAdded').some((n) => n.producer.producerId === producerId))).toBe(true);
      // Two sockets: the close may reach the server before or after the consume.
      const [consumed, closed] = await Promise.all([ask(bob, 'consume', consumeRequest(producerId)), ask(alice, 'closeProducer', { producerId })]);
      expect(['ok', 'not-found']).toContain(consumed);
      expect(closed).toBe('ok');
      expect(await ask(bob, 'consume', consumeRequest(producerId))).toBe('not-found');
    }
    // The producer's peer leaves while Bob asks; then Bob's own place is taken over.
    const [consumed] = await Promise.all([ask(bob, 'consume', consumeRequest(mic.producerId)), ask(alice, 'leaveRoom', {})]);
    expect(['ok', 'not-found']).toContain(consumed);
    expect(await ask(bob, 'consume', consumeRequest(mic.producerId))).toBe('not-found');
    await replace(roomId, b);
    expect(await ask(bob, 'consume', consumeRequest(mic.producerId))).toBe('invalid-state');
    await everyoneLeaves(...clients);
  });

  for (const name of ['resumeConsumer', 'setConsumerPreferences'] as const) {
    it(name, async () => {
      const request = (c: TestClient, consumerId: string) =>
        name === 'resumeConsumer' ? ask(c, name, { consumerId }) : ask(c, name, { consumerId, visible: true, height: 360 });
      const { roomId, alice, bob, b, send: aliceSend, mic, audio, video, consumeRequest } = await call();
      expect([await request(bob, video.consumerId), await request(bob, video.consumerId)]).toEqual(['ok', 'ok']);
      expect(await together(request(bob, video.consumerId), request(bob, video.consumerId))).toEqual(['ok', 'ok']);

      // Right after its producer closed, before (or after) Bob hears that his consumer closed.
      await alice.ok('closeProducer', { producerId: mic.producerId });
      expect(await request(bob, audio.consumerId)).toBe('not-found');
      expect(await eventually(() => bob.notifications('consumerClosed').some((n) => n.consumerId === audio.consumerId))).toBe(true);
      expect(await request(bob, audio.consumerId)).toBe('not-found');

      // In flight while the producer closes (the benchmark's `internal`).
      for (let round = 0; round < ROUNDS; round++) {
        const { producerId } = await alice.ok('produce', {
          transportId: aliceSend.transportId,
          kind: 'audio',
          source: 'microphone',
          rtpParameters: opusParameters(3000 + round),
        });
        const consumer = await bob.ok('consume', consumeRequest(producerId));
        // The close is sent first: arriving together, it reaches the worker just before the request.
        const [closed, answer] = await Promise.all([ask(alice, 'closeProducer', { producerId }), request(bob, consumer.consumerId)]);
        expect(['ok', 'not-found']).toContain(answer);
        expect(closed).toBe('ok');
        expect(await eventually(() => bob.notifications('consumerClosed').some((n) => n.consumerId === consumer.consumerId))).toBe(true);
      }
      // In flight while the producer's peer leaves, and while Bob's own place is taken over.
      const [answer] = await Promise.all([request(bob, video.consumerId), ask(alice, 'leaveRoom', {})]);
      expect(['ok', 'not-found']).toContain(answer);
      expect(await request(bob, video.consumerId)).toBe('not-found');
      const carol = await client();
      await carol.ok('joinRoom', { roomId, displayName: 'Carol' });
      const carolSend = await carol.ok('createTransport', { direction: 'send' });
      const carolMic = await carol.ok('produce', { transportId: carolSend.transportId, kind: 'audio', source: 'microphone', rtpParameters: opusParameters() });
      const consumer = await bob.ok('consume', consumeRequest(carolMic.producerId));
      const [inFlight] = await Promise.all([request(bob, consumer.consumerId), replace(roomId, b)]);
      expect(['ok', 'invalid-state']).toContain(inFlight);
      expect(await request(bob, consumer.consumerId)).toBe('invalid-state');
      await everyoneLeaves(...clients);
    });
  }

  it('setReceiveVideo', async () => {
    const { roomId, alice, bob, b, cam, video } = await call();
    const receive = (enabled: boolean) => ask(bob, 'setReceiveVideo', { enabled });
    expect([await receive(false), await receive(false), await receive(true), await receive(true)]).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(await together(receive(false), receive(true), receive(false), receive(true))).toEqual(['ok', 'ok', 'ok', 'ok']);
    // The last one sent wins.
    expect(t.server.registry.get(roomId)?.peer(b.peerId)?.media.isConsumerPaused(video.consumerId)).toBe(false);

    // A video consumer losing its producer meanwhile does not fail the request for the others.
    const [off, closed] = await Promise.all([receive(false), ask(alice, 'closeProducer', { producerId: cam.producerId })]);
    expect([off, closed]).toEqual(['ok', 'ok']);
    expect(await receive(true)).toBe('ok');

    const [inFlight] = await Promise.all([receive(false), replace(roomId, b)]);
    expect(['ok', 'invalid-state']).toContain(inFlight);
    expect(await receive(true)).toBe('invalid-state');
    await everyoneLeaves(...clients);
  });
});

