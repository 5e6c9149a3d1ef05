// What an invitation link or code leads to, as the server describes it before joining.

export interface InvitationInfo {
  room: { name: string; kind: string; language: string; groundRules: string };
  role: 'host' | 'guest';
  /** The "grandparent link": as few decisions as possible, everything big. */
  simple: boolean;
  /** The session this invitation belongs to (its next meeting), if any. */
  session: InvitationSession | null;
}

export interface InvitationSession {
  startsAt: string;
  endsAt: string;
  /** Whether guests may come in now (from 15 minutes before the start), by the server's clock. */
  open: boolean;
}

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
  if (typeof body !== 'object' || body === null) return null;
  const { room, role, simple, session } = body as Record<string, unknown>;
  if (typeof room !== 'object' || room === null) return null;
  const r = room as Record<string, unknown>;
  if (typeof r['name'] !== 'string') return null;
  return {
    room: {
      name: r['name'],
      kind: typeof r['kind'] === 'string' ? r['kind'] : 'open',
      language: typeof r['language'] === 'string' ? r['language'] : 'fi',
      groundRules: typeof r['groundRules'] === 'string' ? r['groundRules'] : '',
    },
    role: role === 'host' ? 'host' : 'guest',
    simple: simple === true,
    session: parseSession(session),
  };
}

function parseSession(value: unknown): InvitationSession | null {
  if (typeof value !== 'object' || value === null) return null;
  const { startsAt, endsAt, open } = value as Record<string, unknown>;
  if (typeof startsAt !== 'string' || Number.isNaN(Date.parse(startsAt))) return null;
  return { startsAt, endsAt: typeof endsAt === 'string' ? endsAt : startsAt, open: open !== false };
}
