// What an invitation link or code leads to, as the server describes it before joining
// (`GET /api/invitations/:token`, `POST /api/invitations/by-code`): the protocol's
// invitationInfoSchema, as the JSON arrives (times as ISO strings).

import { asJson, invitationInfoSchema, type InvitationInfo } from '@tupa/signaling/protocol';

/**
 * The room (name, kind, language, ground rules), the role, whether this is a simple
 * (grandparent) link, when it expires, and the session's next meeting, if any, with `open`:
 * whether guests may come in now (from 15 minutes before the start), by the server's clock.
 */
export type { InvitationInfo };

/** A guest held back because the session has not started: show when to come back. */
export function notStartedYet(invitation: InvitationInfo): boolean {
  return invitation.role === 'guest' && invitation.session !== null && !invitation.session.open;
}

/** Letters and digits a code may hold (no 0/O, 1/I/L). */
const CODE_ALPHABET = /^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{10}$/;

/** A typed code, forgiving case, spaces and dashes: XXXXX-XXXXX, or null if it cannot be one. */
export function normaliseCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  if (!CODE_ALPHABET.test(code)) return null;
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** Reads the server's description of an invitation; null when it is not one. */
export function parseInvitation(body: unknown): InvitationInfo | null {
  return asJson(invitationInfoSchema, body);
}
