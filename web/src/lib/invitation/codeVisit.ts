import { loadResume } from '../call/resume.ts';
import { parseInvitation, type InvitationInfo } from './invitation.ts';

// A visit by typed code lives on the start page itself (the code is never put in the address),
// so after a reload the page would forget it. The checked code and what it led to are kept in
// the tab's session storage beside the place itself, so that a person in a call (or in the lobby
// queue) who reloads comes straight back, as with a link.

const KEY = 'tupa.codeVisit';

/** The key under which a typed code's visit keeps its place (`Room`'s roomId). */
export function codeVisitRoomId(code: string): string {
  return `code-${code}`;
}

/** Remembers a checked code and the server's description of where it leads (the raw answer). */
export function saveCodeVisit(code: string, invitation: unknown): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify({ code, invitation }));
  } catch {
    // Storage disabled: a reload then starts from the code field again.
  }
}

/** The code visit to return to after a reload: only while this tab still holds a place through it. */
export function loadCodeVisit(): { code: string; invitation: InvitationInfo } | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { code, invitation } = parsed as Record<string, unknown>;
    if (typeof code !== 'string' || !loadResume(codeVisitRoomId(code))) return null;
    const info = parseInvitation(invitation);
    return info ? { code, invitation: info } : null;
  } catch {
    return null;
  }
}
