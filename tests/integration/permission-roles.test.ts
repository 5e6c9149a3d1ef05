import type { RequestName, RequestPayload } from '@tupa/signaling/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpSession } from '../support/httpClient.ts';
import { opusParameters } from '../support/rtpFixtures.ts';
import { eventually, startTestServer, type TestServer } from '../support/server.ts';
import type { TestClient } from '../support/signalingClient.ts';
import { ClientPool, createInvitation, createRoom, staffAccounts } from '../support/staffAccounts.ts';

// The permission table's roles at a real server: a host of one room reaches nobody in another
// (their peer ids are not found there, and nothing changes), a guest is refused every host
// action with forbidden / host-only and nothing changes, and staff (a signed-in coordinator)
// come into an open room from the start page as its host.

let t: TestServer;
let coordinator: HttpSession;
const clients = new ClientPool(() => t.url);

beforeAll(async () => {
  t = await startTestServer();
  ({ coordinator } = await staffAccounts(t.url));
});
afterAll(async () => {
  clients.closeAll();
  await t?.stop();
});

/** Someone in the call with a live microphone, so a mute would show at the server. */
async function inCallWithMicrophone(client: TestClient, join: RequestPayload<'joinRoom'>) {
  const joined = await client.joinCall(join);
  const send = await client.ok('createTransport', { direction: 'send' });
  const mic = await client.ok('produce', { transportId: send.transportId, kind: 'audio', source: 'microphone', rtpParameters: opusParameters(Math.floor(Math.random() * 1e6)) });
  return { peerId: joined.peerId, producerId: mic.producerId };
}

/** A staff room without a lobby, its host (by a host invitation) and a guest, both with a microphone. */
async function hostedRoom(name: string) {
  const roomId = await createRoom(coordinator, { name, lobbyEnabled: false });
  const host = await clients.connect();
  const guest = await clients.connect();
  const h = await inCallWithMicrophone(host, { invitation: { token: await createInvitation(coordinator, roomId, { role: 'host' }) }, displayName: 'Host' });
  const g = await inCallWithMicrophone(guest, { invitation: { token: await createInvitation(coordinator, roomId) }, displayName: 'Guest' });
  return { roomId, host, guest, hostPeerId: h.peerId, guestPeerId: g.peerId, guestMic: g.producerId };
}

/** What the room looks like to the server: who is in it, whose microphone is paused, its lock. */
function roomState(roomId: string) {
  const room = t.server.registry.get(roomId);
  return {
    closed: room?.closed,
    locked: room?.locked,
    people: room?.peerInfos().map((p) => ({ id: p.peerId, handRaised: p.handRaised, paused: p.producers.map((m) => m.paused) })),
    lobby: room?.lobbySize,
  };
}

describe('who may do what, at the server', () => {
  it("gives a host of one room no reach into another: the other room's peer ids are not found, and nothing changes", async () => {
    const a = await hostedRoom('Room A');
    const b = await hostedRoom('Room B');
    await b.guest.ok('raiseHand', { raised: true });
    expect(await eventually(() => roomState(b.roomId).people?.some((p) => p.handRaised) === true)).toBe(true);
    const before = roomState(b.roomId);

    const attempts: [RequestName, RequestPayload<'muteParticipant'>][] = [
      ['muteParticipant', { peerId: b.guestPeerId }],
      ['stopParticipantVideo', { peerId: b.guestPeerId }],
      ['lowerHand', { peerId: b.guestPeerId }],
      ['removeParticipant', { peerId: b.guestPeerId }],
      ['removeParticipant', { peerId: b.hostPeerId }],
    ];
    for (const [name, payload] of attempts) {
      expect(await a.host.request(name as 'muteParticipant', payload)).toEqual({
        ok: false,
        error: { code: 'not-found', message: 'no such participant' },
      });
    }
    expect(roomState(b.roomId)).toEqual(before);
    expect(b.guest.notifications('moderated')).toEqual([]);
    expect(b.guest.notifications('removed')).toEqual([]);
    // The same host's actions in their own room still work: the refusal was about the room.
    await a.host.ok('muteParticipant', { peerId: a.guestPeerId });
    expect(await eventually(() => roomState(a.roomId).people?.find((p) => p.id === a.guestPeerId)?.paused[0] === true)).toBe(true);
  });

  it('refuses every host action to a guest with forbidden / host-only, and nothing changes', async () => {
    const r = await hostedRoom('Room C');
    await r.host.ok('raiseHand', { raised: true });
    expect(await eventually(() => roomState(r.roomId).people?.some((p) => p.handRaised) === true)).toBe(true);
    const before = roomState(r.roomId);
    const hostActions: { [K in RequestName]?: RequestPayload<K> } = {
      admitFromLobby: { guestId: 'all' },
      denyFromLobby: { guestId: 'all' },
      muteParticipant: { peerId: r.hostPeerId },
      stopParticipantVideo: { peerId: r.hostPeerId },
      removeParticipant: { peerId: r.hostPeerId },
      setRoomLocked: { locked: true },
      endSession: {},
      lowerHand: { peerId: r.hostPeerId },
    };
    for (const [name, payload] of Object.entries(hostActions)) {
      expect({ name, reply: await r.guest.request(name as 'endSession', payload as RequestPayload<'endSession'>) }).toEqual({
        name,
        reply: { ok: false, error: { code: 'forbidden', message: 'only a host may do this', reason: 'host-only' } },
      });
    }
    expect(roomState(r.roomId)).toEqual(before);
    expect(r.host.notifications('moderated')).toEqual([]);
    expect(r.host.notifications('removed')).toEqual([]);
  });

  it('refuses a host removing themselves (leaving is leaveRoom)', async () => {
    const r = await hostedRoom('Room D');
    expect(await r.host.request('removeParticipant', { peerId: r.hostPeerId })).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'use leave to leave', reason: 'not-yourself' },
    });
    expect(roomState(r.roomId).people).toHaveLength(2);
  });

  it('lets staff into an open room from the start page as its host, with the host actions there', async () => {
    const created = await fetch(`${t.url}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const { roomId } = (await created.json()) as { roomId: string };
    const guest = await clients.connect();
    const g = await inCallWithMicrophone(guest, { roomId, displayName: 'Aino' });
    const other = await clients.connect();
    const o = await other.joinCall({ roomId, displayName: 'Eino' });
    expect(o.role).toBe('guest');
    // A guest of the open room has no host actions there.
    expect(await other.request('muteParticipant', { peerId: g.peerId })).toMatchObject({ ok: false, error: { code: 'forbidden', reason: 'host-only' } });

    const staff = await clients.connect(coordinator.cookie);
    const s = await staff.joinCall({ roomId, displayName: 'Kaisa' });
    expect(s.role).toBe('host');
    await staff.ok('muteParticipant', { peerId: g.peerId });
    expect(await eventually(() => roomState(roomId).people?.find((p) => p.id === g.peerId)?.paused[0] === true)).toBe(true);
  });

  it('lets a guest choose a book in a room made from the start page, but not in a coordinator\'s room of the same kind', async () => {
    const noSuchBook = '7b0c1f6e-3d4a-4b59-9a57-3f7c2d1e0a11';
    const created = await fetch(`${t.url}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const { roomId: startPageRoom } = (await created.json()) as { roomId: string };
    const visitor = await clients.connect();
    const v = await visitor.joinCall({ roomId: startPageRoom, displayName: 'Mummi' });
    expect(v.room).toMatchObject({ kind: 'open', madeFromStartPage: true });
    // Past the rule: the shelf is asked, and has no such book.
    expect(await visitor.request('openBook', { bookId: noSuchBook })).toMatchObject({ ok: false, error: { code: 'not-found' } });

    const staffRoom = await createRoom(coordinator, { name: 'Avoin kohtaamispaikka', kind: 'open', lobbyEnabled: false });
    const guest = await clients.connect();
    const g = await guest.joinCall({ invitation: { token: await createInvitation(coordinator, staffRoom) }, displayName: 'Aino' });
    expect(g.room).toMatchObject({ kind: 'open', madeFromStartPage: false });
    // The room has hosts, who keep the lead: refused before the shelf is asked.
    expect(await guest.request('openBook', { bookId: noSuchBook })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', reason: 'storytime-reader-only' },
    });
  });
});
