import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpSession } from '../support/httpClient.ts';
import { ClientPool, staffAccounts } from '../support/staffAccounts.ts';
import { opusParameters } from '../support/rtpFixtures.ts';
import { eventually, startTestServer, type TestServer } from '../support/server.ts';
import type { TestClient } from '../support/signalingClient.ts';

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

const connect = (cookie?: string): Promise<TestClient> => clients.connect(cookie);

async function staffRoom(settings: Record<string, unknown> = {}) {
  const room = await coordinator.send('POST', '/api/admin/rooms', {
    name: 'Vanhempien ryhmä',
    kind: 'peer-group',
    language: 'fi',
    capacity: 8,
    groundRules: 'What is said here stays here.',
    ...settings,
  });
  return room.json.room.id as string;
}

async function invite(roomId: string, role: 'guest' | 'host' = 'guest') {
  const created = await coordinator.send('POST', `/api/admin/rooms/${roomId}/invitations`, { role });
  return created.json as { token: string; code: string };
}

/** A host in the room (the coordinator's own tab) with a microphone, and an admitted guest with one. */
async function hostAndGuest() {
  const roomId = await staffRoom();
  const host = await connect(coordinator.cookie);
  const h = await host.ok('joinRoom', { roomId, displayName: 'Kaisa' });
  expect(h).toMatchObject({ role: 'host', admission: 'in' });
  const hostSend = await host.ok('createTransport', { direction: 'send' });
  const hostMic = await host.ok('produce', { transportId: hostSend.transportId, kind: 'audio', source: 'microphone', rtpParameters: opusParameters(7) });

  const { token } = await invite(roomId);
  const guest = await connect();
  const g = await guest.ok('joinRoom', { invitation: { token }, displayName: 'Pekka' });
  expect(g).toMatchObject({ role: 'guest', admission: 'lobby' });
  expect(g).not.toHaveProperty('peers');
  expect(g).not.toHaveProperty('iceServers');
  expect(await eventually(() => host.notifications('lobbyChanged').some((n) => n.waiting.length === 1))).toBe(true);
  const waiting = host.notifications('lobbyChanged').at(-1)?.waiting[0];
  expect(waiting?.displayName).toBe('Pekka');
  expect(await host.ok('admitFromLobby', { guestId: waiting?.guestId ?? '' })).toEqual({ admitted: 1 });
  expect(await eventually(() => guest.notifications('admitted').length === 1)).toBe(true);
  const admitted = guest.notifications('admitted')[0];
  expect(admitted?.peers.map((p) => [p.peerId, p.role])).toEqual([[h.peerId, 'host']]);
  const guestSend = await guest.ok('createTransport', { direction: 'send' });
  const guestMic = await guest.ok('produce', { transportId: guestSend.transportId, kind: 'audio', source: 'microphone', rtpParameters: opusParameters(8) });
  return { roomId, host, guest, hostPeerId: h.peerId, guestPeerId: g.peerId, hostMic, guestMic };
}

describe('roles, lobby and host actions over signaling', () => {
  it('needs an invitation for a staff room; waiting guests get no media and no TURN credentials', async () => {
    const roomId = await staffRoom();
    const stranger = await connect();
    expect(await stranger.request('joinRoom', { roomId, displayName: 'Stranger' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', reason: 'invitation-required' },
    });
    expect(await stranger.request('joinRoom', { invitation: { token: 'A'.repeat(22) }, displayName: 'Stranger' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', reason: 'invitation-invalid' },
    });
    const { code } = await invite(roomId);
    const waiting = await stranger.ok('joinRoom', { invitation: { code: code.toLowerCase() }, displayName: 'Pekka' });
    expect(waiting.admission).toBe('lobby');
    expect(await stranger.request('createTransport', { direction: 'send' })).toMatchObject({ ok: false, error: { code: 'invalid-state' } });
    await stranger.ok('leaveRoom', {});
  });

  it('refuses every host action to a guest, over signaling, and nothing changes', async () => {
    const { roomId, host, guest, hostPeerId } = await hostAndGuest();
    const attempts = [
      guest.request('admitFromLobby', { guestId: 'all' }),
      guest.request('denyFromLobby', { guestId: 'all' }),
      guest.request('muteParticipant', { peerId: hostPeerId }),
      guest.request('stopParticipantVideo', { peerId: hostPeerId }),
      guest.request('removeParticipant', { peerId: hostPeerId }),
      guest.request('setRoomLocked', { locked: true }),
      guest.request('endSession', {}),
      guest.request('lowerHand', { peerId: hostPeerId }),
    ];
    for (const reply of await Promise.all(attempts)) {
      expect(reply).toEqual({ ok: false, error: { code: 'forbidden', message: 'only a host may do this', reason: 'host-only' } });
    }
    const room = t.server.registry.get(roomId);
    expect(room?.closed).toBe(false);
    expect(room?.locked).toBe(false);
    expect(room?.size).toBe(2);
    expect(room?.peer(hostPeerId)?.media.producers().every((p) => !p.paused)).toBe(true);
    expect(host.notifications('moderated')).toEqual([]);
    expect(host.notifications('removed')).toEqual([]);
  });

  it('treats a host of another room as a guest here', async () => {
    const { roomId, hostPeerId } = await hostAndGuest();
    const otherRoom = await staffRoom({ name: 'Other' });
    const { token: otherHostToken } = await invite(otherRoom, 'host');
    const elsewhere = await connect();
    expect((await elsewhere.ok('joinRoom', { invitation: { token: otherHostToken }, displayName: 'Host B' })).role).toBe('host');
    await elsewhere.ok('leaveRoom', {});
    const { token } = await invite(roomId, 'guest');
    const visiting = await connect();
    const joined = await visiting.ok('joinRoom', { invitation: { token }, displayName: 'Host B' });
    expect(joined).toMatchObject({ role: 'guest', admission: 'lobby' });
    expect(await visiting.request('removeParticipant', { peerId: hostPeerId })).toMatchObject({ ok: false });
    expect(t.server.registry.get(roomId)?.peer(hostPeerId)).toBeDefined();
  });

  it('lets a host mute, stop video, lower hands, lock, remove and end', async () => {
    const { roomId, host, guest, guestPeerId, guestMic } = await hostAndGuest();
    const room = t.server.registry.get(roomId);

    await host.ok('muteParticipant', { peerId: guestPeerId });
    expect(await eventually(() => guest.notifications('moderated').some((n) => n.action === 'muted'))).toBe(true);
    expect(room?.peer(guestPeerId)?.media.producers().find((p) => p.producerId === guestMic.producerId)?.paused).toBe(true);

    await guest.ok('raiseHand', { raised: true });
    expect(await eventually(() => host.notifications('handChanged').some((n) => n.peerId === guestPeerId && n.raised))).toBe(true);
    expect(room?.peerInfos().find((p) => p.peerId === guestPeerId)?.handRaised).toBe(true);
    await host.ok('lowerHand', { peerId: guestPeerId });
    expect(await eventually(() => guest.notifications('handChanged').some((n) => !n.raised))).toBe(true);

    await host.ok('setRoomLocked', { locked: true });
    const { token } = await invite(roomId);
    const late = await connect();
    expect(await late.request('joinRoom', { invitation: { token }, displayName: 'Late' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', reason: 'room-locked' },
    });
    await host.ok('setRoomLocked', { locked: false });
    expect((await late.ok('joinRoom', { invitation: { token }, displayName: 'Late' })).admission).toBe('lobby');
    expect(await host.ok('denyFromLobby', { guestId: 'all' })).toEqual({ denied: 1 });
    expect(await eventually(() => late.notifications('removed').some((n) => n.reason === 'lobby-denied'))).toBe(true);

    await host.ok('removeParticipant', { peerId: guestPeerId });
    expect(await eventually(() => guest.notifications('removed').some((n) => n.reason === 'removed-by-host'))).toBe(true);
    expect(await guest.request('raiseHand', { raised: true })).toMatchObject({ ok: false, error: { code: 'invalid-state' } });
    expect(room?.size).toBe(1);

    await host.ok('endSession', {});
    expect(await eventually(() => host.notifications('removed').some((n) => n.reason === 'session-ended'))).toBe(true);
    expect(await eventually(() => t.server.registry.get(roomId) === undefined)).toBe(true);
  });

  it('passes chat to everyone, never in children\'s rooms, and limits its pace', async () => {
    const { host, guest, guestPeerId } = await hostAndGuest();
    await guest.ok('sendChat', { text: '  Hei kaikki!  ' });
    expect(await eventually(() => host.notifications('chatMessage').length === 1)).toBe(true);
    expect(host.notifications('chatMessage')[0]).toMatchObject({ peerId: guestPeerId, displayName: 'Pekka', text: 'Hei kaikki!' });
    expect(guest.notifications('chatMessage')).toHaveLength(1);
    const burst = await Promise.all(Array.from({ length: 8 }, (_, i) => guest.request('sendChat', { text: `line ${i}` })));
    expect(burst.some((r) => !r.ok && r.error.code === 'rate-limited')).toBe(true);
    expect(await guest.request('sendChat', { text: 'a\u0007b' })).toMatchObject({ ok: false, error: { code: 'validation' } });

    const childrensRoom = await staffRoom({ name: 'Satutupa', kind: 'storytime', childrenPresent: true, chatEnabled: true });
    const reader = await connect(coordinator.cookie);
    const joined = await reader.ok('joinRoom', { roomId: childrensRoom, displayName: 'Kaisa' });
    expect(joined.room).toMatchObject({ childrenPresent: true, chatEnabled: false });
    expect(await reader.request('sendChat', { text: 'hello' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('keeps rooms from the start page open to anyone with the link, without a lobby', async () => {
    const created = await fetch(`${t.url}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const { roomId } = (await created.json()) as { roomId: string };
    const a = await connect();
    expect(await a.ok('joinRoom', { roomId, displayName: 'Aino' })).toMatchObject({ role: 'guest', admission: 'in' });
    a.close();
  });
});
