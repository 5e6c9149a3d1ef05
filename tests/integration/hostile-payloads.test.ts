import { REQUEST_NAMES, type RequestName } from '@tupa/signaling/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostileRoomsServer, expectRefusal, seenPeers, settled, unlimited, type AnyReply } from '../support/hostileRooms.ts';
import { opusParameters } from '../support/rtpFixtures.ts';
import { separateRequestBudgets } from '../../signaling/src/SignalingConnection.ts';

// Malformed payloads for every request against a whole Tupa (real PostgreSQL, one real mediasoup
// worker), from a guest and from a host: not objects, every field of a valid payload turned into
// the wrong thing or left out, prototype pollution, no payload and two. The project's rules: no
// crash, never `internal`, every refusal `validation` (or the request's own rate limit), and the
// room exactly as it was.

const hostile = new HostileRoomsServer();
const { hostedRoom, roomView } = hostile;

beforeAll(() => hostile.start());
afterAll(() => hostile.stop());

/** A valid payload of every request, to be broken one field at a time. */
function validPayloads(ctx: { roomId: string; peerId: string }): Record<RequestName, Record<string, unknown>> {
  return {
    joinRoom: { roomId: ctx.roomId, displayName: 'Fuzz' },
    admitFromLobby: { guestId: 'all' },
    denyFromLobby: { guestId: 'all' },
    muteParticipant: { peerId: ctx.peerId },
    stopParticipantVideo: { peerId: ctx.peerId },
    removeParticipant: { peerId: ctx.peerId },
    setRoomLocked: { locked: true },
    endSession: {},
    raiseHand: { raised: true },
    lowerHand: { peerId: ctx.peerId },
    sendChat: { text: 'hei' },
    leaveRoom: {},
    createTransport: { direction: 'send' },
    restartIce: { transportId: 'x' },
    connectTransport: { transportId: 'x', dtlsParameters: { fingerprints: [{ algorithm: 'sha-256', value: 'AB' }] } },
    produce: { transportId: 'x', kind: 'audio', source: 'microphone', rtpParameters: opusParameters(1) },
    closeProducer: { producerId: 'x' },
    setProducerPaused: { producerId: 'x', paused: true },
    consume: { transportId: 'x', producerId: 'x', rtpCapabilities: { codecs: [] } },
    resumeConsumer: { consumerId: 'x' },
    setConsumerPreferences: { consumerId: 'x', visible: true, height: 100 },
    setReceiveVideo: { enabled: true },
    openBook: { bookId: '33333333-3333-4333-8333-333333333333' },
    closeBook: {},
    turnPage: { page: 2 },
    setReader: { peerId: ctx.peerId },
    setTurner: { peerId: ctx.peerId },
    pointAt: { point: { x: 0.5, y: 0.5 } },
    lookHere: { point: { x: 0.5, y: 0.5 } },
    startGame: { kind: 'noughts-and-crosses', players: [ctx.peerId, ctx.peerId] },
    gameMove: { gameId: 'g', move: { kind: 'noughts-and-crosses', cell: 4 } },
    rematch: { gameId: 'g' },
    endGame: { gameId: 'g' },
    startStroke: { gameId: 'g', key: 1, colour: 'red', size: 'large', points: [10, 20, 30, 40] },
    extendStroke: { gameId: 'g', key: 1, points: [50, 60], done: false },
    undoStroke: { gameId: 'g' },
    clearBoard: { gameId: 'g' },
  };
}

/** Payloads no schema accepts: not objects, and every field of a valid one turned into the wrong thing. */
function brokenPayloads(valid: Record<string, unknown>): unknown[] {
  const huge = 'ž'.repeat(20_000);
  const wrongs: unknown[] = [null, 7, true, huge, [], [valid], { __proto__: { polluted: true } }, { length: 1e9 }, 1e308];
  const broken: unknown[] = [null, 0, 'x', huge, [], [valid], [1, 2, 3], true];
  for (const field of Object.keys(valid)) {
    for (const wrong of wrongs) {
      const copy: Record<string, unknown> = { ...valid, extra: 'ignored' };
      Object.defineProperty(copy, field, { value: wrong, enumerable: true, configurable: true, writable: true });
      broken.push(copy);
    }
    const missing: Record<string, unknown> = { ...valid };
    delete missing[field];
    // An optional field's absence is no break; those are filtered out below.
    broken.push(missing);
  }
  const proto = JSON.parse(`{"__proto__": {"polluted": true, "role": "host"}, "constructor": {"prototype": {"polluted": true}}}`) as unknown;
  broken.push(proto);
  return broken;
}

describe('malformed requests of every name', () => {
  it('answers every broken payload of every request with validation (never internal), and the room is as it was', async () => {
    const { roomId, host, hostPeerId, guests } = await hostedRoom({ kind: 'storytime' });
    const guest = guests[0]!;
    const before = roomView(roomId);
    const { requestSchemas } = await import('@tupa/signaling/protocol');
    const codes = new Map<string, number>();
    for (const client of [guest.client, host]) {
      const samples = validPayloads({ roomId, peerId: guest.peerId });
      for (const name of REQUEST_NAMES) {
        for (const payload of brokenPayloads(samples[name])) {
          // Breaks that still pass the schema (a missing optional field) are not what this attacks.
          if (requestSchemas[name].payload.safeParse(payload).success) continue;
          const reply = (await client.raw(name, payload)) as AnyReply;
          const code = String(reply.error?.code ?? 'ok');
          codes.set(code, (codes.get(code) ?? 0) + 1);
          // Requests with a budget of their own (lookHere, drawing) spend it before any schema is asked.
          const expected = name in separateRequestBudgets && code === 'rate-limited' ? 'rate-limited' : 'validation';
          expect({ name, payload: JSON.stringify(payload).slice(0, 120), reply }).toMatchObject({ name, reply: { ok: false, error: { code: expected } } });
        }
        // No payload, or two, is as bad as a wrong one.
        expectRefusal(await unlimited(client, name), 'validation');
        expectRefusal(await client.raw(name, samples[name], samples[name]), name in separateRequestBudgets ? undefined : 'validation');
      }
    }
    expect([...codes.keys()].sort()).toEqual(['rate-limited', 'validation'].filter((c) => codes.has(c)));
    expect(codes.get('validation')).toBeGreaterThan(500);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(roomView(roomId)).toEqual(before);
    expect(guest.client.socket.connected && host.socket.connected).toBe(true);
    await settled(guest.client);
    await settled(host);
    expect(host.notifications('removed')).toEqual([]);
    expect(seenPeers(host, [hostPeerId])).toEqual([hostPeerId, guest.peerId].sort());
  }, 120_000);
});
