import { describe, expect, it } from 'vitest';
import { normaliseCode, notStartedYet, parseInvitation, type InvitationInfo } from './invitation.ts';

/** An invitation as the server describes it (the protocol's invitationInfoSchema). */
function described(role: 'guest' | 'host', session: InvitationInfo['session']): InvitationInfo {
  return {
    room: { name: 'Satu', kind: 'storytime', language: 'fi', groundRules: '' },
    role,
    simple: false,
    expiresAt: '2026-04-01T12:00:00.000Z',
    session,
  };
}

describe('invitation codes', () => {
  it('forgives case, spaces and dashes', () => {
    expect(normaliseCode(' abcde 23456 ')).toBe('ABCDE-23456');
    expect(normaliseCode('ABCDE-23456')).toBe('ABCDE-23456');
    expect(normaliseCode('abcde-2345')).toBeNull();
    expect(normaliseCode('ABCDE-O0000')).toBeNull();
  });

  it('reads the server description as it came, and nothing that is not one', () => {
    const body = described('guest', null);
    expect(parseInvitation(JSON.parse(JSON.stringify(body)))).toEqual(body);
    expect(parseInvitation({ error: { code: 'not-found' } })).toBeNull();
    // A room of a kind the protocol does not know is not an invitation this page can show.
    expect(parseInvitation({ ...body, room: { ...body.room, kind: 'disco' } })).toBeNull();
  });

  it('knows when a guest must come back later, and that hosts never must', () => {
    const session = { title: 'Tuesday stories', startsAt: '2026-03-12T15:30:00.000Z', endsAt: '2026-03-12T16:15:00.000Z', open: false };
    const early = parseInvitation(described('guest', session));
    expect(early?.session).toEqual(session);
    expect(early && notStartedYet(early)).toBe(true);
    const host = parseInvitation(described('host', session));
    expect(host && notStartedYet(host)).toBe(false);
    const open = parseInvitation(described('guest', { ...session, open: true }));
    expect(open && notStartedYet(open)).toBe(false);
  });
});
