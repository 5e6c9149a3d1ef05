// This tab's place in a room, kept in sessionStorage so that after a page reload the server can
// hand the new page the old peer's place (no ghost tiles, no second wait in the lobby). The place
// itself is RoomPlace's; this file only stores it.

/** The place's credential: the peer id and the resume secret the server gave with it. */
export interface ResumeToken {
  peerId: string;
  secret: string;
}

const key = (roomId: string) => `tupa.resume.${roomId}`;

/** The place kept for `roomId` in this tab, if any (an unreadable entry counts as none). */
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

/** Keeps the place for `roomId` across a reload of this tab. */
export function saveResume(roomId: string, token: ResumeToken): void {
  try {
    sessionStorage.setItem(key(roomId), JSON.stringify(token));
  } catch {
    // Storage disabled: a drop is still resumed from the session's memory; only a reload starts afresh.
  }
}

/** Forgets the place kept for `roomId`. */
export function clearResume(roomId: string): void {
  try {
    sessionStorage.removeItem(key(roomId));
  } catch {
    // Nothing to clear.
  }
}
