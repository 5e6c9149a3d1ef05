import type { PeerChannel } from './Peer.ts';
import type { LobbyGuest, Role } from './protocol/index.ts';

/** Someone waiting to be let in: known by a fresh id and the name they typed, nothing more. */
export interface WaitingGuest {
  readonly id: string;
  readonly displayName: string;
  readonly role: Role;
  readonly channel: PeerChannel;
  readonly waitingSince: number;
}

/** Most people who may wait at once in one room's lobby. */
export const LOBBY_CAPACITY = 50;

/** A room's lobby: who waits, in arrival order. The room decides who may let them in. */
export class RoomLobby {
  readonly #waiting = new Map<string, WaitingGuest>();

  get size(): number {
    return this.#waiting.size;
  }

  add(guest: WaitingGuest): void {
    this.#waiting.set(guest.id, guest);
  }

  /** The guests a request names: one by id, or everyone for 'all'. */
  take(guestId: string | 'all'): WaitingGuest[] {
    const taken = guestId === 'all' ? [...this.#waiting.values()] : [this.#waiting.get(guestId)].filter((g) => g !== undefined);
    for (const guest of taken) this.#waiting.delete(guest.id);
    return taken;
  }

  remove(guestId: string): boolean {
    return this.#waiting.delete(guestId);
  }

  /** What hosts see: names and how long each has waited. */
  list(): LobbyGuest[] {
    return [...this.#waiting.values()].map((g) => ({ guestId: g.id, displayName: g.displayName, waitingSince: g.waitingSince }));
  }

  clear(): WaitingGuest[] {
    const all = [...this.#waiting.values()];
    this.#waiting.clear();
    return all;
  }
}
