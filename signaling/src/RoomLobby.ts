import { forbiddenError } from './errors.ts';
import { Peer, type PeerChannel } from './Peer.ts';
import type { RoomPeers } from './RoomPeers.ts';
import { sameSecret } from './secrets.ts';
import { mayAdmitFromLobby, type LobbyGuest, type NotificationName, type NotificationPayload, type Role } from './protocol/index.ts';

/** Someone waiting to be let in: known by a fresh id and the name they typed, nothing more. */
export interface WaitingGuest {
  readonly id: string;
  readonly displayName: string;
  readonly role: Role;
  /**
   * Lets the same tab take back its place after a drop: in the queue while waiting, and in the
   * call once let in (the peer keeps this id and secret). Never logged.
   */
  readonly secret: string;
  /** The connection that speaks for this guest now; a resumed tab brings a new one. */
  channel: PeerChannel;
  readonly waitingSince: number;
  /** Set while the guest's connection is gone and they may still come back. */
  awayTimer?: NodeJS.Timeout | undefined;
}

/** Most people who may wait at once in one room's lobby. */
export const LOBBY_CAPACITY = 50;

/**
 * A room's lobby: who waits, in arrival order, and what the two sides hear of each other: the
 * room's hosts who waits, and the waiting whether a host is there. The room decides who may
 * wait and who may let them in.
 */
export class RoomLobby {
  readonly #waiting = new Map<string, WaitingGuest>();
  readonly #peers: RoomPeers;
  /** What the lobby was last told about hosts, so it hears only of a change. */
  #toldHostPresent = false;

  constructor(peers: RoomPeers) {
    this.#peers = peers;
  }

  get size(): number {
    return this.#waiting.size;
  }

  /**
   * Someone new starts waiting, last in the queue, under a fresh id and resume secret; hosts
   * are told. Throws `forbidden` (`room-full`) when LOBBY_CAPACITY people wait already.
   */
  enter(who: { displayName: string; role: Role; channel: PeerChannel }): WaitingGuest {
    if (this.#waiting.size >= LOBBY_CAPACITY) throw forbiddenError('room is full', 'room-full');
    const guest: WaitingGuest = { ...who, id: Peer.newId(), secret: Peer.newSecret(), waitingSince: Date.now() };
    this.#waiting.set(guest.id, guest);
    this.tellHosts();
    return guest;
  }

  has(guestId: string): boolean {
    return this.#waiting.has(guestId);
  }

  /** The waiting guest with this id, if `secret` is theirs. */
  find(guestId: string, secret: string): WaitingGuest | undefined {
    const guest = this.#waiting.get(guestId);
    return guest && sameSecret(guest.secret, secret) ? guest : undefined;
  }

  /** The guests a request names (one by id, or everyone for 'all'), in queue order, still waiting. */
  peek(guestId: string | 'all'): WaitingGuest[] {
    return guestId === 'all' ? [...this.#waiting.values()] : [this.#waiting.get(guestId)].filter((g) => g !== undefined);
  }

  /** The guests a request names: one by id, or everyone for 'all'. */
  take(guestId: string | 'all'): WaitingGuest[] {
    const taken = this.peek(guestId);
    for (const guest of taken) {
      this.#waiting.delete(guest.id);
      clearTimeout(guest.awayTimer);
    }
    return taken;
  }

  /**
   * The guest's connection dropped: they keep their place for `graceMs` (0: not at all), then
   * `onGone` runs. False when `channel` no longer speaks for that guest (a newer tab took over).
   */
  away(guestId: string, channel: PeerChannel, graceMs: number, onGone: () => void): boolean {
    const guest = this.#waiting.get(guestId);
    if (!guest || guest.channel !== channel) return false;
    clearTimeout(guest.awayTimer);
    if (graceMs <= 0) {
      onGone();
      return true;
    }
    guest.awayTimer = setTimeout(onGone, graceMs);
    guest.awayTimer.unref();
    return true;
  }

  /** The guest's tab came back on `channel`; the old connection, if still open, is told. */
  back(guest: WaitingGuest, channel: PeerChannel): void {
    clearTimeout(guest.awayTimer);
    guest.awayTimer = undefined;
    if (guest.channel !== channel) {
      const old = guest.channel;
      guest.channel = channel;
      if (!old.closed) old.release('replaced');
    }
  }

  /** A waiting guest left (or did not come back in time); hosts are told. False if not waiting. */
  remove(guestId: string): boolean {
    const guest = this.#waiting.get(guestId);
    if (!guest) return false;
    clearTimeout(guest.awayTimer);
    this.#waiting.delete(guestId);
    this.tellHosts();
    return true;
  }

  /** Tells everyone waiting (a guest whose connection is away misses it; their resume reply says it again). */
  tell<K extends NotificationName>(name: K, payload: NotificationPayload<K>): void {
    for (const guest of this.#waiting.values()) if (!guest.channel.closed) guest.channel.notify(name, payload);
  }

  /** Tells the room's hosts who waits now. */
  tellHosts(): void {
    this.#peers.notifyWhere('lobbyChanged', { waiting: this.list() }, (peer) => mayAdmitFromLobby({ actor: peer }).allowed);
  }

  /**
   * A host came into the call or back to it: they hear who waits (what they were told while away
   * was lost), and the lobby hears a host is there if it did not know yet.
   */
  hostArrived(host: Peer): void {
    host.channel.notify('lobbyChanged', { waiting: this.list() });
    this.hostsChanged();
  }

  /**
   * Tells the lobby whether a host is in the room, when that has changed since it was last told:
   * it hears when the first host arrives and when the last one has gone.
   */
  hostsChanged(): void {
    const present = this.#peers.hostPresent;
    if (present === this.#toldHostPresent) return;
    this.#toldHostPresent = present;
    this.tell('hostPresenceChanged', { present });
  }

  /** What hosts see: names and how long each has waited. */
  list(): LobbyGuest[] {
    return [...this.#waiting.values()].map((g) => ({ guestId: g.id, displayName: g.displayName, waitingSince: g.waitingSince }));
  }

  clear(): WaitingGuest[] {
    const all = [...this.#waiting.values()];
    for (const guest of all) clearTimeout(guest.awayTimer);
    this.#waiting.clear();
    return all;
  }
}
