import type { InvitationCredential, JoinReply } from '@tupa/signaling/protocol';
import { clearResume, loadResume, saveResume, type ResumeToken } from './resume.ts';
import { RequestError, type SignalingClient } from './signalingClient.ts';

/** How a join uses this tab's earlier place. */
export type PlaceUse =
  /** Take it back if the server still keeps it, else join afresh (the Join button). */
  | 'resume-or-new'
  /** Take it back or fail with `place-gone` (after a drop, after a reload). */
  | 'resume-only';

/**
 * This tab's place in one room, the same in the lobby and in the call: the peer id and resume
 * secret the server gave (in memory, so a drop is resumed whether or not the browser keeps
 * storage, and in session storage for a reload), and the `joinRoom` request that asks for a
 * place or takes this one back.
 */
export class RoomPlace {
  /** This tab's own id in the room, once the server has given one. */
  selfId = $state<string | null>(null);
  /** The name this person joins under. */
  displayName = '';

  readonly #roomId: string;
  readonly #credential: InvitationCredential | null;
  readonly #onRequest: () => void;
  #token: ResumeToken | undefined;

  /**
   * `credential`: the invitation this person came with, or null for the room's own link.
   * `onRequest` is called as each joinRoom request is sent.
   */
  constructor(roomId: string, credential: InvitationCredential | null, onRequest: () => void) {
    this.#roomId = roomId;
    this.#credential = credential;
    this.#onRequest = onRequest;
  }

  /** The place: given in this visit, or kept from before a reload. */
  get current(): ResumeToken | undefined {
    return this.#token ?? loadResume(this.#roomId);
  }

  /** Whether the server gave this visit itself a place (not only one found from before a reload). */
  get givenThisVisit(): boolean {
    return this.#token !== undefined;
  }

  /** Keeps the place the server gave, for a drop or a reload. */
  hold(peerId: string, secret: string): void {
    this.#token = { peerId, secret };
    saveResume(this.#roomId, this.#token);
    this.selfId = peerId;
  }

  /** Gives the place up (left, ended, or the server no longer keeps it). */
  forget(): void {
    this.#token = undefined;
    clearResume(this.#roomId);
  }

  /**
   * joinRoom, taking this tab's place back when it has one (with its media when `keepMedia`).
   * A place the server no longer keeps fails the request (RequestError, reason `place-gone`)
   * unless `placeUse` is 'resume-or-new': then the place is forgotten and the tab joins afresh.
   * With 'resume-only' and no place at all, it fails the same way without asking the server.
   */
  async request(connection: SignalingClient, keepMedia: boolean, placeUse: PlaceUse = 'resume-only'): Promise<JoinReply> {
    this.#onRequest();
    const payload = this.#credential
      ? { invitation: this.#credential, displayName: this.displayName }
      : { roomId: this.#roomId, displayName: this.displayName };
    const resume = this.current;
    if (resume) {
      try {
        return await connection.request('joinRoom', { ...payload, resume: { ...resume, keepMedia } });
      } catch (error) {
        if (placeUse === 'resume-only' || !(error instanceof RequestError) || error.reason !== 'place-gone') throw error;
        this.forget();
      }
    } else if (placeUse === 'resume-only') {
      throw new RequestError('joinRoom', 'not-found', 'this tab holds no place', 'place-gone');
    }
    return connection.request('joinRoom', payload);
  }
}
