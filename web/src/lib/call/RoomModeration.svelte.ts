import type { LobbyGuest, RequestPayload } from '@tupa/signaling/protocol';
import type { PEER_TOOLS, ROOM_TOOLS } from './offers.ts';
import type { SignalingClient } from './signalingClient.ts';

/** A calm note after a host muted this person or stopped their camera. */
export type ModerationNote = { id: number; action: 'muted' | 'video-stopped' };

/**
 * The requests of the host tools and the tile menus: offered as the permission table allows
 * (offers.ts), and checked by the server again.
 */
export type HostRequest = (typeof ROOM_TOOLS)[number] | (typeof PEER_TOOLS)[number];

export interface RoomModerationDeps {
  connection: () => SignalingClient;
  selfId: () => string | null;
  /** The room's lock changed (by this host or another). */
  onLocked: (locked: boolean) => void;
}

/**
 * Who has asked for the floor and who waits at the door: raised hands, the lobby as hosts see it,
 * hosts' requests, and the note shown after a host muted this person or stopped their camera.
 */
export class RoomModeration {
  /** Hosts: who waits in the lobby. */
  lobby = $state.raw<LobbyGuest[]>([]);
  /** Peer ids whose hand is raised (possibly this tab's own). */
  hands = $state.raw<ReadonlySet<string>>(new Set());
  /** The latest note about what a host did to this person's microphone or camera. */
  note = $state.raw<ModerationNote | null>(null);

  readonly #deps: RoomModerationDeps;
  /** Each note has its own id, so the same action twice is announced twice. */
  #notes = 0;

  constructor(deps: RoomModerationDeps) {
    this.#deps = deps;
  }

  /** Raises or lowers this person's own hand. */
  async raiseHand(raised: boolean): Promise<void> {
    await this.#deps.connection().request('raiseHand', { raised });
    const selfId = this.#deps.selfId();
    if (selfId) this.#setHand(selfId, raised);
  }

  /** Hosts: a moderation request, sent as it is. */
  async host<K extends HostRequest>(name: K, payload: RequestPayload<K>): Promise<void> {
    await this.#deps.connection().request(name, payload);
    if (name === 'setRoomLocked') this.#deps.onLocked((payload as { locked: boolean }).locked);
  }

  /**
   * Everyone else's hands as a join, an admission or a resume reports them (changes missed while
   * the connection was away included); this person's own hand stays as it is.
   */
  setHands(peers: { peerId: string; handRaised: boolean }[]): void {
    const hands = new Set(peers.filter((peer) => peer.handRaised).map((peer) => peer.peerId));
    const selfId = this.#deps.selfId();
    if (selfId !== null && this.hands.has(selfId)) hands.add(selfId);
    this.hands = hands;
  }

  /** A host acted on this person: keep a note to explain it (the caller turns the device off). */
  noteAction(action: ModerationNote['action']): void {
    this.note = { id: ++this.#notes, action };
  }

  /** The note is no longer true (the person turned that device on again), or was read. */
  clearNote(action?: ModerationNote['action']): void {
    if (action === undefined || this.note?.action === action) this.note = null;
  }

  listen(connection: SignalingClient): void {
    connection.on('lobbyChanged', ({ waiting }) => {
      this.lobby = waiting;
    });
    connection.on('roomLocked', ({ locked }) => this.#deps.onLocked(locked));
    connection.on('handChanged', ({ peerId, raised }) => this.#setHand(peerId, raised));
  }

  #setHand(peerId: string, raised: boolean): void {
    const hands = new Set(this.hands);
    if (raised) hands.add(peerId);
    else hands.delete(peerId);
    this.hands = hands;
  }
}
