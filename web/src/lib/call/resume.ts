// This tab's place in a room, kept in sessionStorage so that after a page reload the server can
// hand the new page the old peer's place (no ghost tiles, no second wait in the lobby).

export interface ResumeToken {
  peerId: string;
  secret: string;
}

const key = (roomId: string) => `tupa.resume.${roomId}`;

export function loadResume(roomId: string): ResumeToken | undefined {
  try {
    const raw = sessionStorage.getItem(key(roomId));
    if (!raw) return undefined;
    const parsed: unknown = JSON.parse(raw);
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      'peerId' in parsed &&
      'secret' in parsed &&
      typeof parsed.peerId === 'string' &&
      typeof parsed.secret === 'string'
    ) {
      return { peerId: parsed.peerId, secret: parsed.secret };
    }
  } catch {
    // Unreadable or storage disabled: join as a new peer.
  }
  return undefined;
}

export function saveResume(roomId: string, token: ResumeToken): void {
  try {
    sessionStorage.setItem(key(roomId), JSON.stringify(token));
  } catch {
    // Storage disabled: a drop is still resumed from the session's memory; only a reload starts afresh.
  }
}

export function clearResume(roomId: string): void {
  try {
    sessionStorage.removeItem(key(roomId));
  } catch {
    // Nothing to clear.
  }
}

/**
 * The place one visit holds in its room: in memory, so a drop is resumed whether or not the
 * browser keeps storage, and in session storage for a reload.
 */
export class HeldPlace {
  readonly #roomId: string;
  #token: ResumeToken | undefined;

  constructor(roomId: string) {
    this.#roomId = roomId;
  }

  /** The place: given in this visit, or kept from before a reload. */
  get current(): ResumeToken | undefined {
    return this.#token ?? loadResume(this.#roomId);
  }

  /** Whether the server gave this visit itself a place (not only one found from before a reload). */
  get givenThisVisit(): boolean {
    return this.#token !== undefined;
  }

  hold(token: ResumeToken): void {
    this.#token = token;
    saveResume(this.#roomId, token);
  }

  forget(): void {
    this.#token = undefined;
    clearResume(this.#roomId);
  }
}
