import { MediaServer } from '@tupa/media-server';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Peer, PeerChannel, ReleaseReason } from './Peer.ts';
import type { NotificationName } from './protocol/index.ts';
import { OPEN_ROOM_RULES } from './roomConfig.ts';
import { RoomRegistry } from './RoomRegistry.ts';
import { freeUdpTcpPort } from '../../tests/support/ports.ts';

const logger = pino({ level: 'silent' });
let media: MediaServer;

beforeEach(async () => {
  media = await MediaServer.start(
    { numWorkers: 1, listenIp: '127.0.0.1', announcedIp: '127.0.0.1', rtcPort: await freeUdpTcpPort() },
    logger,
  );
});
afterEach(() => media?.close());

class RecordingChannel implements PeerChannel {
  readonly events: Array<{ name: NotificationName; payload: unknown }> = [];
  released = false;
  closed = false;
  notify(name: NotificationName, payload: unknown): void {
    this.events.push({ name, payload });
  }
  release(reason: ReleaseReason): void {
    this.released = true;
    this.notify('removed', { reason });
  }
  /** The room this channel was let into from the lobby, if any. */
  entered: Peer | undefined;
  enterCall(_room: unknown, peer: Peer): void {
    this.entered = peer;
  }
  names(): string[] {
    return this.events.map((e) => e.name);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Room and RoomRegistry lifecycle', () => {
  it('creates one room for concurrent first joins', async () => {
    const registry = new RoomRegistry(media, { emptyRoomGraceMs: 1000, reconnectGraceMs: 0, capacity: 4 }, logger);
    const [a, b] = await Promise.all([registry.getOrCreate('r'), registry.getOrCreate('r')]);
    expect(a).toBe(b);
    expect(registry.size).toBe(1);
    expect(media.counts().routers).toBe(1);
    registry.closeAll('server-shutdown');
    expect(media.counts().routers).toBe(0);
  });

  it('tells the others when a peer joins and leaves, and closes an empty room after the grace period', async () => {
    const registry = new RoomRegistry(media, { emptyRoomGraceMs: 50, reconnectGraceMs: 0, capacity: 4 }, logger);
    const room = await registry.getOrCreate('r');
    const aChannel = new RecordingChannel();
    const bChannel = new RecordingChannel();
    const { peer: a } = room.join({ displayName: 'Aino', role: 'guest', channel: aChannel }) as { peer: Peer };
    const { peer: b } = room.join({ displayName: 'Eino', role: 'guest', channel: bChannel }) as { peer: Peer };
    expect(aChannel.names()).toEqual(['peerJoined']);
    expect(room.peerInfos(b).map((p) => p.peerId)).toEqual([a.id]);
    await b.media.createWebRtcTransport('recv');
    room.leave(b, 'left');
    room.leave(b, 'left'); // idempotent
    expect(aChannel.names()).toEqual(['peerJoined', 'peerLeft']);
    expect(media.counts().transports).toBe(0);
    room.leave(a, 'disconnected');
    expect(room.closed).toBe(false); // grace period
    await sleep(120);
    expect(room.closed).toBe(true);
    expect(registry.size).toBe(0);
    expect(media.counts()).toEqual({ routers: 0, transports: 0, producers: 0, consumers: 0 });
  });

  it('keeps a room that someone rejoins within the grace period', async () => {
    const registry = new RoomRegistry(media, { emptyRoomGraceMs: 100, reconnectGraceMs: 0, capacity: 4 }, logger);
    const room = await registry.getOrCreate('r');
    const { peer: a } = room.join({ displayName: 'Aino', role: 'guest', channel: new RecordingChannel() }) as { peer: Peer };
    room.leave(a, 'left');
    await sleep(30);
    expect(await registry.getOrCreate('r')).toBe(room);
    room.join({ displayName: 'Aino', role: 'guest', channel: new RecordingChannel() }) as { peer: Peer };
    await sleep(150);
    expect(room.closed).toBe(false);
    registry.closeAll('server-shutdown');
  });

  it('tells everyone why when the room closes, and refuses joins after', async () => {
    const registry = new RoomRegistry(media, { emptyRoomGraceMs: 1000, reconnectGraceMs: 0, capacity: 4 }, logger);
    const room = await registry.getOrCreate('r');
    const channel = new RecordingChannel();
    room.join({ displayName: 'Aino', role: 'guest', channel }) as { peer: Peer };
    registry.closeAll('server-shutdown');
    expect(channel.events.at(-1)).toEqual({ name: 'removed', payload: { reason: 'server-shutdown' } });
    expect(() => room.join({ displayName: 'Eino', role: 'guest', channel: new RecordingChannel() })).toThrow('room closed');
  });

  it('moves to a new router when its worker dies and tells everyone to rebuild their media', async () => {
    const registry = new RoomRegistry(media, { emptyRoomGraceMs: 1000, reconnectGraceMs: 0, capacity: 4 }, logger);
    const room = await registry.getOrCreate('r');
    const channel = new RecordingChannel();
    const { peer } = room.join({ displayName: 'Aino', role: 'guest', channel }) as { peer: Peer };
    await peer.media.createWebRtcTransport('send');
    const oldMedia = room.media;
    const pid = (await media.workerStats())[0]?.pid ?? 0;
    process.kill(pid, 'SIGKILL');
    await eventuallyTrue(() => channel.names().includes('mediaReset'), 10_000);
    await room.whenMediaReady();
    expect(room.closed).toBe(false);
    expect(room.media).not.toBe(oldMedia);
    expect(registry.get('r')).toBe(room);
    // The peer is the same participant with fresh, empty media on the new router.
    expect(room.size).toBe(1);
    expect(peer.media.closed).toBe(false);
    expect(peer.media.counts().transports).toBe(0);
    await peer.media.createWebRtcTransport('send');
    expect(media.counts()).toEqual({ routers: 1, transports: 1, producers: 0, consumers: 0 });
    registry.closeAll('server-shutdown');
  });

  it('keeps a disconnected peer for the grace period and lets it resume with its media', async () => {
    const registry = new RoomRegistry(media, { emptyRoomGraceMs: 1000, reconnectGraceMs: 150, capacity: 4 }, logger);
    const room = await registry.getOrCreate('r');
    const watcher = new RecordingChannel();
    room.join({ displayName: 'Watcher', role: 'guest', channel: watcher });
    const first = new RecordingChannel();
    const { peer } = room.join({ displayName: 'Aino', role: 'guest', channel: first }) as { peer: Peer };
    await peer.media.createWebRtcTransport('send');
    room.disconnected(peer, first);
    expect(watcher.events.at(-1)).toEqual({ name: 'peerConnectionState', payload: { peerId: peer.id, state: 'reconnecting' } });
    const second = new RecordingChannel();
    const resumed = room.join({
      displayName: 'Aino',
      channel: second,
      resume: { peerId: peer.id, secret: peer.resumeSecret, keepMedia: true },
    });
    expect(resumed).toEqual({ admission: 'in', peer, mediaKept: true });
    expect(first.released).toBe(true);
    expect(peer.channel).toBe(second);
    expect(peer.media.counts().transports).toBe(1);
    expect(watcher.events.at(-1)).toEqual({ name: 'peerConnectionState', payload: { peerId: peer.id, state: 'connected' } });
    await sleep(250);
    expect(room.size).toBe(2); // the grace timer was cancelled
    // Without coming back, the peer leaves when the grace period ends.
    room.disconnected(peer, second);
    await sleep(250);
    expect(room.size).toBe(1);
    expect(watcher.names().at(-1)).toBe('peerLeft');
    expect(media.counts().transports).toBe(0);
    registry.closeAll('server-shutdown');
  });
});

describe('Room: every way in can be resumed', () => {
  const lobbySettings = {
    name: 'Satutunti',
    kind: 'storytime' as const,
    groundRules: '',
    childrenPresent: true,
    chatEnabled: false,
    lobbyEnabled: true,
    capacity: 12,
    madeFromStartPage: false,
  };

  /** A storytime room with a lobby, its host, and Mummo waiting in the lobby on `first`. */
  async function roomWithWaitingGuest() {
    const registry = new RoomRegistry(media, { emptyRoomGraceMs: 1000, reconnectGraceMs: 5000, capacity: 4 }, logger);
    const room = await registry.getOrCreate('r');
    room.applySettings(lobbySettings);
    const host = new RecordingChannel();
    room.join({ displayName: 'Host', role: 'host', channel: host });
    const first = new RecordingChannel();
    const waiting = room.join({ displayName: 'Mummo', role: 'guest', channel: first });
    if (waiting.admission !== 'lobby') throw new Error('expected the lobby');
    return { registry, room, host, first, waiting };
  }

  it('keeps a waiting guest\'s place in the queue through a drop, with one lobby entry', async () => {
    const { registry, room, host, first, waiting } = await roomWithWaitingGuest();
    const other = room.join({ displayName: 'Pappa', role: 'guest', channel: new RecordingChannel() });
    if (other.admission !== 'lobby') throw new Error('expected the lobby');

    first.closed = true;
    room.guestAway(waiting.guest.id, first);
    const second = new RecordingChannel();
    const back = room.join({ displayName: 'Mummo', channel: second, resume: { peerId: waiting.guest.id, secret: waiting.guest.secret } });
    expect(back).toMatchObject({ admission: 'lobby', guest: { id: waiting.guest.id } });
    const lobby = host.events.filter((e) => e.name === 'lobbyChanged').at(-1)?.payload as { waiting: { guestId: string }[] };
    // Same place, first in line, never twice.
    expect(lobby.waiting.map((g) => g.guestId)).toEqual([waiting.guest.id, other.guest.id]);
    expect(room.lobbySize).toBe(2);

    expect(room.admit(waiting.guest.id, () => [])).toBe(1);
    expect(second.entered?.id).toBe(waiting.guest.id);
    const admitted = second.events.find((e) => e.name === 'admitted')?.payload as { peerId: string; resumeSecret: string };
    expect(admitted.peerId).toBe(waiting.guest.id);
    expect(admitted.resumeSecret).toBe(waiting.guest.secret);
    expect(first.events.find((e) => e.name === 'admitted')).toBeUndefined();
    registry.closeAll('server-shutdown');
  });

  it('tells the lobby when the first host arrives and the last one leaves, not when a host drops for a moment', async () => {
    const registry = new RoomRegistry(media, { emptyRoomGraceMs: 1000, reconnectGraceMs: 5000, capacity: 4 }, logger);
    const room = await registry.getOrCreate('r');
    room.applySettings(lobbySettings);
    const mummo = new RecordingChannel();
    room.join({ displayName: 'Mummo', role: 'guest', channel: mummo });
    const presence = () => mummo.events.filter((e) => e.name === 'hostPresenceChanged').map((e) => e.payload);
    expect(room.hostPresent).toBe(false);
    expect(presence()).toEqual([]);

    const firstHost = new RecordingChannel();
    const { peer: first } = room.join({ displayName: 'Kaisa', role: 'host', channel: firstHost }) as { peer: Peer };
    const { peer: second } = room.join({ displayName: 'Ville', role: 'host', channel: new RecordingChannel() }) as { peer: Peer };
    expect(presence()).toEqual([{ present: true }]);
    room.leave(second, 'left');
    // The one host left: her laptop sleeps a moment, and she comes back with new media.
    room.disconnected(first, firstHost);
    room.join({ displayName: 'Kaisa', channel: new RecordingChannel(), resume: { peerId: first.id, secret: first.resumeSecret } });
    expect(presence()).toEqual([{ present: true }]);
    room.leave(room.peer(first.id)!, 'left');
    expect(room.hostPresent).toBe(false);
    expect(presence()).toEqual([{ present: true }, { present: false }]);
    registry.closeAll('server-shutdown');
  });

  it('lets a guest admitted while away come back into the call, not the lobby', async () => {
    const { registry, room, host, first, waiting } = await roomWithWaitingGuest();
    first.closed = true;
    room.guestAway(waiting.guest.id, first);
    room.admit('all', () => []);
    // Let in while away: the host sees one tile, marked reconnecting.
    expect(room.peer(waiting.guest.id)?.away).toBe(true);
    expect(host.events.filter((e) => e.name === 'peerJoined')).toHaveLength(1);
    expect(host.events.at(-1)?.name).toBe('lobbyChanged');

    const second = new RecordingChannel();
    // (A resume is no way to take another name than the one the host let in.)
    const back = room.join({ displayName: 'Ohjaaja', channel: second, resume: { peerId: waiting.guest.id, secret: waiting.guest.secret } });
    expect(back).toMatchObject({ admission: 'in', mediaKept: false, peer: { id: waiting.guest.id, role: 'guest', displayName: 'Mummo' } });
    expect(room.size).toBe(2);
    expect(room.peer(waiting.guest.id)?.away).toBe(false);
    registry.closeAll('server-shutdown');
  });

  it('keeps an away guest who does not fit yet waiting in their place, and lets them go when the grace ends', async () => {
    const registry = new RoomRegistry(media, { emptyRoomGraceMs: 50, reconnectGraceMs: 150, capacity: 1 }, logger);
    const room = await registry.getOrCreate('r');
    room.applySettings(lobbySettings);
    const host = new RecordingChannel();
    const { peer: hostPeer } = room.join({ displayName: 'Host', role: 'host', channel: host }) as { peer: Peer };
    const away = new RecordingChannel();
    const waiting = room.join({ displayName: 'Mummo', role: 'guest', channel: away });
    if (waiting.admission !== 'lobby') throw new Error('expected the lobby');
    away.closed = true;
    room.guestAway(waiting.guest.id, away);
    // The room is full: nobody is let in, and the guest keeps waiting (and their away timer).
    expect(room.admit('all', () => [])).toBe(0);
    expect(room.lobbySize).toBe(1);
    await eventuallyTrue(() => room.lobbySize === 0, 2000);
    // Once the host leaves too, the empty room closes.
    room.leave(hostPeer, 'left');
    await eventuallyTrue(() => room.closed, 2000);
    expect(media.counts().routers).toBe(0);
  });

  it('refuses a resume whose place is gone or whose secret is wrong, and changes nothing', async () => {
    const registry = new RoomRegistry(media, { emptyRoomGraceMs: 1000, reconnectGraceMs: 0, capacity: 4 }, logger);
    const room = await registry.getOrCreate('r');
    const channel = new RecordingChannel();
    const { peer } = room.join({ displayName: 'Aino', role: 'guest', channel }) as { peer: Peer };
    const wrong = () => room.join({ displayName: 'X', channel: new RecordingChannel(), resume: { peerId: peer.id, secret: 'wrong' } });
    expect(wrong).toThrow(expect.objectContaining({ code: 'not-found', reason: 'place-gone' }));
    expect(registry.roomHoldingPlace(peer.id, 'wrong')).toBeUndefined();
    expect(registry.roomHoldingPlace(peer.id, peer.resumeSecret)).toBe(room);
    room.disconnected(peer, channel); // no grace: gone at once
    const late = () => room.join({ displayName: 'Aino', channel: new RecordingChannel(), resume: { peerId: peer.id, secret: peer.resumeSecret } });
    expect(late).toThrow(expect.objectContaining({ reason: 'place-gone' }));
    expect(registry.roomHoldingPlace(peer.id, peer.resumeSecret)).toBeUndefined();
    registry.closeAll('server-shutdown');
  });
});

describe('Room.join: the one decision of where a person goes', () => {
  it('puts someone new in the call, or a guest in the lobby of a room that has one, never a host', async () => {
    const registry = new RoomRegistry(media, { emptyRoomGraceMs: 1000, reconnectGraceMs: 0, capacity: 4 }, logger);
    const room = await registry.getOrCreate('r');
    expect(room.join({ displayName: 'Aino', role: 'guest', channel: new RecordingChannel() })).toMatchObject({ admission: 'in', mediaKept: false });
    room.applySettings({ ...OPEN_ROOM_RULES, lobbyEnabled: true });
    expect(room.join({ displayName: 'Eino', role: 'guest', channel: new RecordingChannel() }).admission).toBe('lobby');
    expect(room.join({ displayName: 'Kaisa', role: 'host', channel: new RecordingChannel() }).admission).toBe('in');
    expect(room.size).toBe(2);
    expect(room.lobbySize).toBe(1);
    registry.closeAll('server-shutdown');
  });

  it('gives a waiting guest who comes back the same place in the queue, and tells the old connection', async () => {
    const registry = new RoomRegistry(media, { emptyRoomGraceMs: 1000, reconnectGraceMs: 5000, capacity: 4 }, logger);
    const room = await registry.getOrCreate('r');
    room.applySettings({ ...OPEN_ROOM_RULES, lobbyEnabled: true });
    const first = new RecordingChannel();
    const waiting = room.join({ displayName: 'Mummo', role: 'guest', channel: first });
    if (waiting.admission !== 'lobby') throw new Error('expected the lobby');
    const back = room.join({ displayName: 'Mummo', channel: new RecordingChannel(), resume: { peerId: waiting.guest.id, secret: waiting.guest.secret, keepMedia: true } });
    expect(back).toEqual({ admission: 'lobby', guest: waiting.guest });
    expect(first.released).toBe(true);
    expect(room.lobbySize).toBe(1);
    expect(room.size).toBe(0);
    registry.closeAll('server-shutdown');
  });

  it('gives a participant who comes back without keepMedia fresh media under the same id, secret, role and name', async () => {
    // Capacity 1: the place is the person's own, so a full room does not refuse it.
    const registry = new RoomRegistry(media, { emptyRoomGraceMs: 1000, reconnectGraceMs: 5000, capacity: 1 }, logger);
    const room = await registry.getOrCreate('r');
    const first = new RecordingChannel();
    const { peer } = room.join({ displayName: 'Aino', role: 'host', channel: first }) as { peer: Peer };
    await peer.media.createWebRtcTransport('send');
    room.disconnected(peer, first);
    const second = new RecordingChannel();
    const back = room.join({ displayName: 'Other', channel: second, resume: { peerId: peer.id, secret: peer.resumeSecret } });
    if (back.admission !== 'in') throw new Error('expected the call');
    expect(back.mediaKept).toBe(false);
    expect(back.peer).not.toBe(peer);
    expect(back.peer).toMatchObject({ id: peer.id, resumeSecret: peer.resumeSecret, role: 'host', displayName: 'Aino', away: false });
    expect(back.peer.channel).toBe(second);
    // The old peer is closed, with its media and its away timer.
    expect(peer.closed).toBe(true);
    expect(peer.away).toBe(false);
    expect(media.counts().transports).toBe(0);
    expect(room.peer(peer.id)).toBe(back.peer);
    expect(room.size).toBe(1);
    registry.closeAll('server-shutdown');
  });

  it('gives a participant fresh media when theirs was rebuilt on a new router while they were away', async () => {
    const registry = new RoomRegistry(media, { emptyRoomGraceMs: 1000, reconnectGraceMs: 30_000, capacity: 4 }, logger);
    const room = await registry.getOrCreate('r');
    const watcher = new RecordingChannel();
    room.join({ displayName: 'Watcher', role: 'guest', channel: watcher });
    const first = new RecordingChannel();
    const { peer } = room.join({ displayName: 'Aino', role: 'guest', channel: first }) as { peer: Peer };
    room.disconnected(peer, first);
    process.kill((await media.workerStats())[0]?.pid ?? 0, 'SIGKILL');
    await eventuallyTrue(() => watcher.names().includes('mediaReset'), 10_000);
    await room.whenMediaReady();
    // The away tab never heard of the reset: its transports are of the old router.
    const back = room.join({ displayName: 'Aino', channel: new RecordingChannel(), resume: { peerId: peer.id, secret: peer.resumeSecret, keepMedia: true } });
    expect(back).toMatchObject({ admission: 'in', mediaKept: false, peer: { id: peer.id } });
    registry.closeAll('server-shutdown');
  });

  it('refuses a resume with another place\'s secret and leaves the place as it was', async () => {
    const registry = new RoomRegistry(media, { emptyRoomGraceMs: 1000, reconnectGraceMs: 5000, capacity: 4 }, logger);
    const room = await registry.getOrCreate('r');
    const channel = new RecordingChannel();
    const { peer } = room.join({ displayName: 'Aino', role: 'guest', channel }) as { peer: Peer };
    const other = new RecordingChannel();
    const attempt = () => room.join({ displayName: 'Aino', channel: other, resume: { peerId: peer.id, secret: 'not-the-secret', keepMedia: true } });
    expect(attempt).toThrow(expect.objectContaining({ code: 'not-found', reason: 'place-gone' }));
    expect(room.peer(peer.id)).toBe(peer);
    expect(peer.channel).toBe(channel);
    expect(channel.released).toBe(false);
    registry.closeAll('server-shutdown');
  });
});

async function eventuallyTrue(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}
