import type { RequestName } from '@tupa/signaling/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpSession } from '../support/httpClient.ts';
import { opusParameters } from '../support/rtpFixtures.ts';
import { shelveTestBook } from '../support/books.ts';
import { HostileRoomsServer, expectRefusal, seenPeers, settled, unlimited, type AnyReply } from '../support/hostileRooms.ts';
import { eventually, type TestServer } from '../support/server.ts';
import type { TestClient } from '../support/signalingClient.ts';
import { createInvitation } from '../support/staffAccounts.ts';

// A hostile or confused client against a whole Tupa (real PostgreSQL, one real mediasoup worker):
// repeated and crossed joins, host actions by those who are not hosts here, storytime out of turn,
// extra fields and oversized messages, and the staff REST API abused (malformed payloads for every
// request are in hostile-payloads.test.ts). The project's rules: no crash, never `internal`, never
// a guest doing a host's action, every refusal a clear error that loses nothing (the others' view,
// the lobby, the storytime state stay as they were).

const hostile = new HostileRoomsServer();
const { connect, hostedRoom, roomView } = hostile;
let t: TestServer;
let coordinator: HttpSession;
let bookId: string;

beforeAll(async () => {
  await hostile.start();
  ({ server: t, coordinator } = hostile);
  bookId = await shelveTestBook(t);
});
afterAll(() => hostile.stop());

async function waitingGuestIds(host: TestClient): Promise<string[]> {
  await settled(host);
  return host.notifications('lobbyChanged').at(-1)?.waiting.map((g) => g.guestId) ?? [];
}

describe('joinRoom repeated or crossed on one connection', () => {
  it('puts the same joinRoom sent twice at once in the call once; the other is already-in-a-room', async () => {
    const { roomId, host, hostPeerId } = await hostedRoom({ guests: [] });
    const token = await createInvitation(coordinator, roomId);
    const guest = await connect();
    const payload = { invitation: { token }, displayName: 'Twice' };
    const replies = (await Promise.all([guest.raw('joinRoom', payload), guest.raw('joinRoom', payload)])) as AnyReply[];
    expect(replies.filter((r) => r.ok)).toHaveLength(1);
    expectRefusal(replies.find((r) => !r.ok), 'invalid-state');
    const view = roomView(roomId);
    expect(view.people?.map((p) => p.name).sort()).toEqual(['Kaisa', 'Twice']);
    await settled(host);
    expect(seenPeers(host, [hostPeerId])).toHaveLength(2);
  });

  it('refuses a second joinRoom with another name and keeps the first name', async () => {
    const { roomId, guests } = await hostedRoom();
    const g = guests[0]!;
    const again = await g.client.request('joinRoom', { invitation: { token: await createInvitation(coordinator, roomId) }, displayName: 'Someone else' });
    expectRefusal(again, 'invalid-state');
    expect(roomView(roomId).people?.find((p) => p.id === g.peerId)?.name).toBe('Pekka');
    expect(roomView(roomId).people).toHaveLength(2);
  });

  it("answers place-gone to a resume of someone else's peer id with a wrong secret, and their place stays", async () => {
    const { roomId, guests } = await hostedRoom();
    const victim = guests[0]!;
    const before = roomView(roomId);
    const attacker = await connect();
    const reply = await attacker.request('joinRoom', { roomId, displayName: 'Thief', resume: { peerId: victim.peerId, secret: 'x'.repeat(43) } });
    expectRefusal(reply, 'not-found', 'place-gone');
    expect(roomView(roomId)).toEqual(before);
    expect(victim.client.notifications('removed')).toEqual([]);
    await settled(victim.client);
  });

  it("answers place-gone to a resume with the right peer id but another room's secret", async () => {
    const a = await hostedRoom();
    const b = await hostedRoom();
    const before = roomView(a.roomId);
    const attacker = await connect();
    const reply = await attacker.request('joinRoom', {
      invitation: { token: await createInvitation(coordinator, b.roomId) },
      displayName: 'Crossed',
      resume: { peerId: a.guests[0]!.peerId, secret: b.guests[0]!.secret },
    });
    expectRefusal(reply, 'not-found', 'place-gone');
    expect(roomView(a.roomId)).toEqual(before);
    // A wrong secret on the connection that holds the place loses nothing either.
    const own = await a.guests[0]!.client.request('joinRoom', {
      invitation: { token: await createInvitation(coordinator, a.roomId) },
      displayName: 'Pekka',
      resume: { peerId: a.guests[0]!.peerId, secret: b.guests[0]!.secret },
    });
    expectRefusal(own);
    expect(roomView(a.roomId)).toEqual(before);
    await settled(a.guests[0]!.client);
  });

  it('ends a resume of a waiting place raced by a host admitting it with one participant in the call, held by the resuming tab', async () => {
    for (let round = 0; round < 4; round++) {
      const { roomId, host, hostPeerId, guests } = await hostedRoom({ lobbyEnabled: true, guests: ['Waiting'] });
      const first = guests[0]!;
      expect(first.admission).toBe('lobby');
      expect(await eventually(async () => (await waitingGuestIds(host)).includes(first.peerId))).toBe(true);
      const second = await connect();
      const resume = { invitation: { token: await createInvitation(coordinator, roomId) }, displayName: 'Waiting', resume: { peerId: first.peerId, secret: first.secret } };
      const [admitReply, resumeReply] = (await Promise.all(
        round % 2 === 0
          ? [host.raw('admitFromLobby', { guestId: first.peerId }), second.raw('joinRoom', resume)]
          : [second.raw('joinRoom', resume), host.raw('admitFromLobby', { guestId: first.peerId })].reverse(),
      )) as AnyReply[];
      expect(admitReply, JSON.stringify(admitReply)).toEqual({ ok: true, data: { admitted: 1 } });
      expect(resumeReply?.ok, JSON.stringify(resumeReply)).toBe(true);
      // The resuming tab ends in the call under the same id, either at once or by `admitted`.
      expect(await eventually(() => (resumeReply?.data as { admission: string }).admission === 'in' || second.notifications('admitted').length === 1)).toBe(true);
      const view = roomView(roomId);
      expect(view.lobby).toBe(0);
      expect(view.people?.filter((p) => p.id === first.peerId)).toHaveLength(1);
      expect(view.people).toHaveLength(2);
      expect(t.server.registry.get(roomId)?.peer(first.peerId)?.channel).not.toBe(undefined);
      // The old tab was told it was replaced; the new one acts for the place.
      expect(await eventually(() => first.client.notifications('removed').some((n) => n.reason === 'replaced'))).toBe(true);
      expect(await second.request('raiseHand', { raised: true })).toMatchObject({ ok: true });
      expectRefusal(await first.client.request('raiseHand', { raised: true }), 'invalid-state');
      await settled(host);
      expect(seenPeers(host, [hostPeerId])).toEqual([hostPeerId, first.peerId].sort());
      expect(roomView(roomId).people?.find((p) => p.id === first.peerId)?.hand).toBe(true);
    }
  });

  it('ends a waiting tab resuming its own place on its own socket, raced by admit, in the call once under its id', async () => {
    for (let round = 0; round < 4; round++) {
      const { roomId, host, hostPeerId, guests } = await hostedRoom({ lobbyEnabled: true, guests: ['Waiting'] });
      const g = guests[0]!;
      const resume = { invitation: { token: await createInvitation(coordinator, roomId) }, displayName: 'Waiting', resume: { peerId: g.peerId, secret: g.secret, keepMedia: round % 2 === 0 } };
      const [resumed, admitted] = (await Promise.all([g.client.raw('joinRoom', resume), host.raw('admitFromLobby', { guestId: 'all' })])) as AnyReply[];
      expect(admitted).toEqual({ ok: true, data: { admitted: 1 } });
      expect(resumed?.ok, JSON.stringify(resumed?.error)).toBe(true);
      const view = roomView(roomId);
      expect(view.lobby).toBe(0);
      expect(view.people?.map((p) => p.id).sort()).toEqual([hostPeerId, g.peerId].sort());
      expect(await g.client.request('raiseHand', { raised: true })).toMatchObject({ ok: true });
      await settled(host);
      expect(seenPeers(host, [hostPeerId])).toEqual([hostPeerId, g.peerId].sort());
    }
  });

  it('lets one of two hosts admit and the other deny the same guest at the same moment: one outcome, told once', async () => {
    const { roomId, host, guests } = await hostedRoom({ lobbyEnabled: true, guests: ['Contested'] });
    const second = await connect();
    await second.joinCall({ invitation: { token: await createInvitation(coordinator, roomId, { role: 'host' }) }, displayName: 'Host 2' });
    const g = guests[0]!;
    const [admit, deny] = (await Promise.all([host.raw('admitFromLobby', { guestId: g.peerId }), second.raw('denyFromLobby', { guestId: g.peerId })])) as {
      ok: boolean;
      data: { admitted?: number; denied?: number };
    }[];
    expect((admit?.data.admitted ?? 0) + (deny?.data.denied ?? 0)).toBe(1);
    await settled(g.client);
    const inCall = roomView(roomId).people?.some((p) => p.id === g.peerId);
    expect(inCall).toBe(admit?.data.admitted === 1);
    expect(g.client.notifications('admitted').length + g.client.notifications('removed').length).toBe(1);
    expect(roomView(roomId).lobby).toBe(0);
  });

  it('answers a join in flight when the host ends the session with a clear refusal, never internal', async () => {
    const { roomId, host } = await hostedRoom({ guests: [] });
    const tokens = await Promise.all([1, 2, 3].map(() => createInvitation(coordinator, roomId)));
    const joiners = await Promise.all(tokens.map(() => connect()));
    const joins = joiners.map((c, i) => c.raw('joinRoom', { invitation: { token: tokens[i]! }, displayName: `Late ${i}` }));
    const ended = host.raw('endSession', {});
    const replies = (await Promise.all(joins)) as AnyReply[];
    expect(await ended).toEqual({ ok: true, data: {} });
    for (const reply of replies) if (!reply.ok) expectRefusal(reply, 'invalid-state');
    // Whoever got into the ended room was told so; whoever came after it ended is in a new one.
    for (const [i, reply] of replies.entries()) {
      const joiner = joiners[i]!;
      if (!reply.ok) continue;
      const peerId = (reply.data as { peerId: string }).peerId;
      expect(await eventually(() => joiner.notifications('removed').some((n) => n.reason === 'session-ended') || t.server.registry.get(roomId)?.peer(peerId) !== undefined)).toBe(true);
    }
    // Every one of them still gets answers.
    for (const joiner of joiners) expect((await joiner.request('setReceiveVideo', { enabled: true })).ok !== undefined).toBe(true);
  });

  it('joins afresh after leaveRoom on the same socket; leaveRoom twice or before joining is invalid-state', async () => {
    const { roomId, host, hostPeerId } = await hostedRoom({ guests: [] });
    const guest = await connect();
    expectRefusal(await guest.request('leaveRoom', {}), 'invalid-state');
    const token = await createInvitation(coordinator, roomId);
    const first = await guest.joinCall({ invitation: { token }, displayName: 'Again' });
    expect(await guest.request('leaveRoom', {})).toEqual({ ok: true, data: {} });
    expectRefusal(await guest.request('leaveRoom', {}), 'invalid-state');
    const second = await guest.joinCall({ invitation: { token }, displayName: 'Again' });
    expect(second.peerId).not.toBe(first.peerId);
    expect(roomView(roomId).people?.map((p) => p.id).sort()).toEqual([hostPeerId, second.peerId].sort());
    await settled(host);
    expect(seenPeers(host, [hostPeerId])).toEqual([hostPeerId, second.peerId].sort());
    // The left place cannot be resumed.
    const thief = await connect();
    expectRefusal(await thief.request('joinRoom', { roomId, displayName: 'x', resume: { peerId: first.peerId, secret: first.resumeSecret } }), 'not-found', 'place-gone');
  });

  it('lets a waiting guest leave the lobby once; the host sees the lobby empty and a second leave is invalid-state', async () => {
    const { roomId, host, guests } = await hostedRoom({ lobbyEnabled: true, guests: ['Leaver'] });
    const g = guests[0]!;
    expect(await g.client.request('leaveRoom', {})).toEqual({ ok: true, data: {} });
    expectRefusal(await g.client.request('leaveRoom', {}), 'invalid-state');
    expect(roomView(roomId).lobby).toBe(0);
    expect(await eventually(async () => (await waitingGuestIds(host)).length === 0)).toBe(true);
    // Admitting the guest who left lets nobody in.
    expect(await host.request('admitFromLobby', { guestId: g.peerId })).toEqual({ ok: true, data: { admitted: 0 } });
    expect(roomView(roomId).people).toHaveLength(1);
    expect(g.client.notifications('admitted')).toEqual([]);
  });

  it('never gives the host role for a role field a client adds to joinRoom', async () => {
    const { roomId } = await hostedRoom({ guests: [] });
    const guest = await connect();
    const reply = (await guest.raw('joinRoom', { invitation: { token: await createInvitation(coordinator, roomId) }, displayName: 'Sneaky', role: 'host', isHost: true })) as AnyReply;
    expect(reply.ok).toBe(true);
    expect((reply.data as { role: string }).role).toBe('guest');
    expectRefusal(await guest.request('setRoomLocked', { locked: true }), 'forbidden', 'host-only');
  });
});

describe('hostile handshakes', () => {
  it('refuses handshakes with a wrong version or a malformed resume without harm to the room', async () => {
    const { roomId, host, hostPeerId, hostSecret } = await hostedRoom({ guests: [] });
    const before = roomView(roomId);
    const { TestClient } = await import('../support/signalingClient.ts');
    const { PROTOCOL_VERSION } = await import('@tupa/signaling/protocol');
    const auths: Record<string, unknown>[] = [
      { protocolVersion: 'x' },
      { protocolVersion: PROTOCOL_VERSION + 100, resume: { peerId: hostPeerId, secret: hostSecret } },
      { protocolVersion: PROTOCOL_VERSION, resume: { peerId: { $ne: null }, secret: ['a'] } },
      { protocolVersion: PROTOCOL_VERSION, resume: 'yes', __proto__: { polluted: true } },
      { protocolVersion: PROTOCOL_VERSION, resume: { peerId: hostPeerId, secret: 'wrong' } },
    ];
    for (const auth of auths) {
      const client = new TestClient(t.url, auth);
      const outcome = await new Promise<string>((resolve) => {
        client.socket.once('connect', () => resolve('connected'));
        client.socket.once('connect_error', (error) => resolve(`refused: ${error.message}`));
      });
      if (outcome === 'connected') {
        // Let in: it holds no place, and may not act for the host it named.
        expectRefusal(await client.request('endSession', {}), 'invalid-state');
      }
      client.close();
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(roomView(roomId)).toEqual(before);
    await settled(host);
  });
});

describe('host actions by those who are not hosts here', () => {
  it('refuses every host and leading action to a guest in the call (host-only / reader-only), and nothing changes', async () => {
    const { roomId, host, hostPeerId, guests } = await hostedRoom({ kind: 'storytime', lobbyEnabled: true, guests: ['InCall', 'Waiting'] });
    const [inCall, waiting] = guests as [(typeof guests)[0], (typeof guests)[0]];
    expect(await host.request('admitFromLobby', { guestId: inCall.peerId })).toEqual({ ok: true, data: { admitted: 1 } });
    expect(await eventually(() => inCall.client.notifications('admitted').length === 1)).toBe(true);
    await host.ok('openBook', { bookId });
    await host.ok('raiseHand', { raised: true });
    const send = await host.ok('createTransport', { direction: 'send' });
    await host.ok('produce', { transportId: send.transportId, kind: 'audio', source: 'microphone', rtpParameters: opusParameters(11) });
    await settled(inCall.client);
    const before = roomView(roomId);
    const hostOnly: [RequestName, unknown][] = [
      ['admitFromLobby', { guestId: waiting.peerId }],
      ['admitFromLobby', { guestId: 'all' }],
      ['denyFromLobby', { guestId: waiting.peerId }],
      ['muteParticipant', { peerId: hostPeerId }],
      ['stopParticipantVideo', { peerId: hostPeerId }],
      ['removeParticipant', { peerId: hostPeerId }],
      ['removeParticipant', { peerId: inCall.peerId }],
      ['setRoomLocked', { locked: true }],
      ['endSession', {}],
      ['lowerHand', { peerId: hostPeerId }],
      ['setReader', { peerId: inCall.peerId }],
    ];
    for (const [name, payload] of hostOnly) expectRefusal(await inCall.client.raw(name, payload), 'forbidden', 'host-only');
    for (const [name, payload] of [['setTurner', { peerId: inCall.peerId }], ['closeBook', {}], ['openBook', { bookId }], ['pointAt', { point: { x: 0.5, y: 0.5 } }]] as const) {
      expectRefusal(await inCall.client.raw(name, payload), 'forbidden', 'storytime-reader-only');
    }
    expectRefusal(await inCall.client.raw('turnPage', { page: 2 }), 'forbidden', 'storytime-turner-only');
    expectRefusal(await inCall.client.raw('startGame', { kind: 'drawing' }), 'forbidden', 'game-lead-only');
    expectRefusal(await inCall.client.raw('startGame', { kind: 'noughts-and-crosses', players: [inCall.peerId, hostPeerId] }), 'forbidden', 'game-lead-only');
    expect(roomView(roomId)).toEqual(before);
    expect(host.notifications('moderated')).toEqual([]);
    expect(host.notifications('removed')).toEqual([]);
    expect(waiting.client.notifications('admitted')).toEqual([]);
    expect(waiting.client.notifications('removed')).toEqual([]);
    await settled(host);
  });

  it('refuses every host action to a guest waiting in the lobby with invalid-state, and nothing changes', async () => {
    const { roomId, host, hostPeerId, guests } = await hostedRoom({ kind: 'storytime', lobbyEnabled: true, guests: ['Waiting', 'Other'] });
    const [waiting, other] = guests as [(typeof guests)[0], (typeof guests)[0]];
    const before = roomView(roomId);
    const attempts: [RequestName, unknown][] = [
      ['admitFromLobby', { guestId: waiting.peerId }],
      ['admitFromLobby', { guestId: 'all' }],
      ['denyFromLobby', { guestId: other.peerId }],
      ['muteParticipant', { peerId: hostPeerId }],
      ['removeParticipant', { peerId: hostPeerId }],
      ['setRoomLocked', { locked: true }],
      ['endSession', {}],
      ['lowerHand', { peerId: hostPeerId }],
      ['setReader', { peerId: hostPeerId }],
      ['setTurner', { peerId: hostPeerId }],
      ['closeBook', {}],
      ['openBook', { bookId }],
      ['sendChat', { text: 'let me in' }],
      ['createTransport', { direction: 'send' }],
      ['startGame', { kind: 'drawing' }],
      ['startStroke', { gameId: 'g', key: 1, colour: 'red', size: 'large', points: [1, 2] }],
      ['endGame', { gameId: 'g' }],
    ];
    for (const [name, payload] of attempts) expectRefusal(await waiting.client.raw(name, payload), 'invalid-state');
    expect(roomView(roomId)).toEqual(before);
    expect(other.client.notifications('admitted')).toEqual([]);
    expect(other.client.notifications('removed')).toEqual([]);
    expect(await waitingGuestIds(host)).toEqual([waiting.peerId, other.peerId]);
  });

  it("gives a host of another room nothing with this room's ids: not-found, nothing admitted, and nothing changes", async () => {
    const target = await hostedRoom({ kind: 'storytime', lobbyEnabled: true, guests: ['InCall', 'Waiting'] });
    const [inCall, waiting] = target.guests as [(typeof target.guests)[0], (typeof target.guests)[0]];
    await target.host.ok('admitFromLobby', { guestId: inCall.peerId });
    await target.host.ok('openBook', { bookId });
    await inCall.client.ok('raiseHand', { raised: true });
    await settled(target.host);
    const before = roomView(target.roomId);
    const elsewhere = await hostedRoom({ kind: 'storytime', guests: [] });
    for (const name of ['muteParticipant', 'stopParticipantVideo', 'removeParticipant', 'lowerHand'] as const) {
      for (const peerId of [inCall.peerId, target.hostPeerId, waiting.peerId]) {
        expectRefusal(await elsewhere.host.request(name, { peerId }), 'not-found');
      }
    }
    expect(await elsewhere.host.request('admitFromLobby', { guestId: waiting.peerId })).toEqual({ ok: true, data: { admitted: 0 } });
    expect(await elsewhere.host.request('denyFromLobby', { guestId: waiting.peerId })).toEqual({ ok: true, data: { denied: 0 } });
    expectRefusal(await elsewhere.host.request('setReader', { peerId: inCall.peerId }), 'not-found');
    expectRefusal(await elsewhere.host.request('setTurner', { peerId: inCall.peerId }), 'not-found');
    // A game for players of another room: they are not in this call.
    const players = [inCall.peerId, target.hostPeerId];
    expectRefusal(await elsewhere.host.request('startGame', { kind: 'noughts-and-crosses', players }), 'invalid-state', 'game-players-invalid');
    // Their own room's storytime and lock are theirs; the other room's are untouched.
    await elsewhere.host.ok('setRoomLocked', { locked: true });
    await elsewhere.host.ok('closeBook', {});
    expect(roomView(target.roomId)).toEqual(before);
    expect(inCall.client.notifications('moderated')).toEqual([]);
    expect(waiting.client.notifications('admitted')).toEqual([]);
    expect(waiting.client.notifications('removed')).toEqual([]);
    await settled(target.host);
  });

  it('refuses a host removing themselves, answers a second endSession with invalid-state, and the server still serves', async () => {
    const { roomId, host, hostPeerId, guests } = await hostedRoom();
    expectRefusal(await host.request('removeParticipant', { peerId: hostPeerId }), 'forbidden', 'not-yourself');
    expect(roomView(roomId).people).toHaveLength(2);
    const [first, second] = (await Promise.all([host.raw('endSession', {}), host.raw('endSession', {})])) as AnyReply[];
    expect(first).toEqual({ ok: true, data: {} });
    expectRefusal(second, 'invalid-state');
    expectRefusal(await host.request('endSession', {}), 'invalid-state');
    expect(await eventually(() => guests[0]!.client.notifications('removed').some((n) => n.reason === 'session-ended'))).toBe(true);
    expect(await eventually(() => t.server.registry.get(roomId) === undefined)).toBe(true);
    // The same host's tab can start the room again.
    expect((await host.joinCall({ roomId, displayName: 'Kaisa' })).role).toBe('host');
  });
});

describe('storytime out of place and out of turn', () => {
  it('refuses storytime in a peer-group room with storytime-not-allowed and asks no shelf', async () => {
    const { roomId, host, hostPeerId, guests } = await hostedRoom({ kind: 'peer-group' });
    const before = roomView(roomId);
    const attempts: [RequestName, unknown][] = [
      ['openBook', { bookId }],
      ['closeBook', {}],
      ['turnPage', { page: 2 }],
      ['setReader', { peerId: hostPeerId }],
      ['setTurner', { peerId: guests[0]!.peerId }],
      ['pointAt', { point: null }],
      ['lookHere', { point: { x: 0.1, y: 0.1 } }],
    ];
    for (const [name, payload] of attempts) expectRefusal(await host.raw(name, payload), 'invalid-state', 'storytime-not-allowed');
    // Nor games: peer groups are rooms for parents.
    for (const payload of [{ kind: 'drawing' }, { kind: 'noughts-and-crosses', players: [hostPeerId, guests[0]!.peerId] }]) {
      expectRefusal(await host.raw('startGame', payload), 'invalid-state', 'game-not-allowed');
      expectRefusal(await guests[0]!.client.raw('startGame', payload), 'invalid-state', 'game-not-allowed');
    }
    expect(roomView(roomId)).toEqual(before);
    expect(guests[0]!.client.notifications('storytimeChanged')).toEqual([]);
  });

  it('refuses turns with no book open, pages out of range, and the reader looking here; the state stays', async () => {
    const { roomId, host, hostPeerId, guests } = await hostedRoom({ kind: 'storytime', guests: ['Ilona'] });
    const child = guests[0]!;
    expectRefusal(await host.request('turnPage', { page: 2 }), 'invalid-state', 'storytime-no-book');
    expectRefusal(await child.client.request('lookHere', { point: { x: 0.5, y: 0.5 } }), 'invalid-state', 'storytime-no-book');
    // Closing a closed book is allowed and changes nothing.
    expect(await host.request('closeBook', {})).toMatchObject({ ok: true, data: { book: null, version: 0 } });
    expect(roomView(roomId).storytime?.version).toBe(0);

    await host.ok('openBook', { bookId });
    await host.ok('setReader', { peerId: child.peerId });
    await host.ok('turnPage', { page: 3 });
    const before = roomView(roomId);
    expect(before.storytime).toMatchObject({ page: 3, readerId: child.peerId });
    for (const page of [9, 10_000]) expectRefusal(await host.request('turnPage', { page }), 'invalid-state', 'page-out-of-range');
    for (const page of [0, -1, 1.5, 10_001, '2', null, 1e308]) expectRefusal(await host.raw('turnPage', { page }), 'validation');
    expectRefusal(await child.client.request('lookHere', { point: { x: 0.5, y: 0.5 } }), 'forbidden', 'storytime-listener-only');
    expectRefusal(await host.request('pointAt', { point: { x: 0.5, y: 0.5 } }), 'forbidden', 'storytime-reader-only');
    for (const point of [{ x: 2, y: 0 }, { x: -0.1, y: 0.5 }, { x: '0.5', y: 0.5 }, [0.5, 0.5], null]) {
      expectRefusal(await unlimited(host, 'lookHere', { point }), 'validation');
    }
    expectRefusal(await host.raw('setTurner', { peerId: 'nobody-here' }), 'not-found');
    expectRefusal(await host.raw('setReader', { peerId: 'nobody-here' }), 'not-found');
    expectRefusal(await host.raw('openBook', { bookId: '33333333-3333-4333-8333-333333333333' }), 'not-found');
    expectRefusal(await host.raw('openBook', { bookId: 'not-a-uuid' }), 'validation');
    expect(roomView(roomId)).toEqual(before);
    // A listener's look-here still reaches the reader: the refusals broke nothing.
    expect(await unlimited(host, 'lookHere', { point: { x: 0.25, y: 0.75 } })).toEqual({ ok: true, data: {} });
    expect(await eventually(() => child.client.notifications('storytimeLookHere').some((n) => n.peerId === hostPeerId))).toBe(true);
  });
});

describe('malformed requests of every name', () => {
  it('drops extra fields: a guest raising a hand with a peerId of the host raises only their own', async () => {
    const { roomId, host, hostPeerId, guests } = await hostedRoom();
    const guest = guests[0]!;
    expect(await guest.client.raw('raiseHand', { raised: true, peerId: hostPeerId, role: 'host' })).toEqual({ ok: true, data: {} });
    await settled(host);
    const people = roomView(roomId).people!;
    expect(people.find((p) => p.id === guest.peerId)?.hand).toBe(true);
    expect(people.find((p) => p.id === hostPeerId)?.hand).toBe(false);
  });

  it('closes only the socket of a message over 64 KiB; nobody else notices', async () => {
    const { roomId, host, hostPeerId } = await hostedRoom({ guests: [] });
    const before = roomView(roomId);
    const big = await connect();
    const gone = new Promise<void>((resolve) => big.socket.once('disconnect', () => resolve()));
    void big.raw('joinRoom', { roomId, displayName: 'x'.repeat(70 * 1024) }).catch(() => undefined);
    await gone;
    expect(roomView(roomId)).toEqual(before);
    await settled(host);
    expect(seenPeers(host, [hostPeerId])).toEqual([hostPeerId]);
  });
});
