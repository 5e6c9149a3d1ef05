import { ERROR_CODES } from '@tupa/signaling/protocol';
import { expect } from 'vitest';
import { eventually } from './server.ts';
import { LIFTED_LIMITS, ServerPerFile } from './serverPerFile.ts';
import type { TestClient } from './signalingClient.ts';
import { createInvitation, createRoom } from './staffAccounts.ts';

// A whole Tupa for hostile and confused clients (hostile-join.test.ts and
// hostile-payloads.test.ts): one server per test file with the request limits lifted, staff
// rooms with a host and guests, everything the others can see of a room, and the checks both
// files make of what the server answered.

/**
 * A Tupa started for one test file by `start()` (in `beforeAll`) and stopped by `stop()` (in
 * `afterAll`). Many sockets and many bad messages come from one address, so the request and
 * connection limits are lifted: they are not under test here.
 */
export class HostileRoomsServer extends ServerPerFile {
  /** Starts the server with the limits lifted, and signs the staff in. */
  start = (): Promise<void> => this.startWith({ signaling: { limits: LIFTED_LIMITS } });

  /** Closes every client and stops the server (if it started). */
  stop = (): Promise<void> => this.stopServer();

  /** A new signaling connection, signed in with `cookie` (a staff tab) or as nobody. */
  connect = (cookie?: string): Promise<TestClient> => this.clients.connect(cookie);

  /** A staff room, its host (the coordinator's tab) and guests joined by invitation (in the call unless the room has a lobby). */
  hostedRoom = async (options: { kind?: 'storytime' | 'peer-group'; lobbyEnabled?: boolean; guests?: string[] } = {}) => {
    const { kind = 'peer-group', lobbyEnabled = false, guests = ['Pekka'] } = options;
    const roomId = await createRoom(this.coordinator, { name: 'Hostile', kind, lobbyEnabled, capacity: 10 });
    const host = await this.connect(this.coordinator.cookie);
    const h = await host.joinCall({ roomId, displayName: 'Kaisa' });
    expect(h.role).toBe('host');
    const joined: { client: TestClient; peerId: string; secret: string; admission: string }[] = [];
    for (const name of guests) {
      const client = await this.connect();
      const reply = await client.ok('joinRoom', { invitation: { token: await createInvitation(this.coordinator, roomId) }, displayName: name });
      joined.push({ client, peerId: reply.peerId, secret: reply.resumeSecret, admission: reply.admission });
    }
    const room = this.server.server.registry.get(roomId);
    if (!room) throw new Error('room is not live');
    return { roomId, room, host, hostPeerId: h.peerId, hostSecret: h.resumeSecret, guests: joined };
  };

  /** Everything the others can see of a room, as the server holds it. */
  roomView = (roomId: string) => {
    const room = this.server.server.registry.get(roomId);
    return {
      closed: room?.closed,
      locked: room?.locked,
      people: room
        ?.peerInfos()
        .map((p) => ({ id: p.peerId, name: p.displayName, role: p.role, hand: p.handRaised, paused: p.producers.map((m) => m.paused) }))
        .sort((a, b) => a.id.localeCompare(b.id)),
      lobby: room?.lobbySize,
      storytime: room?.storytime.snapshot(),
      game: room?.games.snapshotFor(null),
    };
  };
}

/** Any request's answer as it arrives: success with data, or a refusal with its code and reason. */
export type AnyReply = { ok: boolean; data?: unknown; error?: { code: string; message: string; reason?: string } };

/** The participants `client` believes are in the room, from its entry and the peerJoined / peerLeft it heard. */
export function seenPeers(client: TestClient, initial: string[] = []): string[] {
  const seen = [...initial];
  for (const n of client.received) {
    if (n.name === 'peerJoined') seen.push((n.payload as { peer: { peerId: string } }).peer.peerId);
    if (n.name === 'peerLeft') {
      const i = seen.indexOf((n.payload as { peerId: string }).peerId);
      if (i >= 0) seen.splice(i, 1);
    }
  }
  return seen.sort();
}

/** Every notice sent to `client` before this reply arrives has arrived (one socket keeps order); also proves it still answers. */
export async function settled(client: TestClient): Promise<void> {
  expect(await client.request('raiseHand', { raised: false })).toMatchObject({ ok: true });
}

/** A refusal: not ok, a known code that is never `internal` (and `code`, `reason` when given). */
export function expectRefusal(reply: unknown, code?: string, reason?: string): void {
  const r = reply as AnyReply;
  expect(r.ok, JSON.stringify(r)).toBe(false);
  expect(ERROR_CODES).toContain(r.error?.code);
  expect(r.error?.code).not.toBe('internal');
  expect(typeof r.error?.message).toBe('string');
  if (code) expect(r.error?.code, JSON.stringify(r)).toBe(code);
  if (reason) expect(r.error?.reason, JSON.stringify(r)).toBe(reason);
}

/**
 * Sends a request, again while its own budget says rate-limited (lookHere has 4 at once, then 2
 * a second), and returns the first other answer.
 */
export async function unlimited(client: TestClient, name: string, ...args: unknown[]): Promise<AnyReply> {
  let reply: AnyReply | undefined;
  const answered = await eventually(async () => {
    reply = (await client.raw(name, ...args)) as AnyReply;
    return reply.error?.code !== 'rate-limited';
  }, 10_000, 100);
  expect(answered).toBe(true);
  return reply!;
}
