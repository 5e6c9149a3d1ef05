import { describe, expect, it } from 'vitest';
import { normaliseCode, notStartedYet, parseInvitation } from './invitation.ts';

describe('invitation codes', () => {
  it('forgives case, spaces and dashes', () => {
    expect(normaliseCode(' abcde 23456 ')).toBe('ABCDE-23456');
    expect(normaliseCode('ABCDE-23456')).toBe('ABCDE-23456');
    expect(normaliseCode('abcde-2345')).toBeNull();
    expect(normaliseCode('ABCDE-O0000')).toBeNull();
  });

  it('reads the server description', () => {
    expect(parseInvitation({ room: { name: 'Satu', kind: 'storytime', language: 'fi', groundRules: '' }, role: 'guest', simple: true })).toEqual({
      room: { name: 'Satu', kind: 'storytime', language: 'fi', groundRules: '' },
      role: 'guest',
      simple: true,
      session: null,
    });
    expect(parseInvitation({ error: { code: 'not-found' } })).toBeNull();
  });

  it('knows when a guest must come back later, and that hosts never must', () => {
    const session = { startsAt: '2026-03-12T15:30:00.000Z', endsAt: '2026-03-12T16:15:00.000Z', open: false };
    const early = parseInvitation({ room: { name: 'Satu' }, role: 'guest', simple: false, session });
    expect(early?.session).toEqual(session);
    expect(early && notStartedYet(early)).toBe(true);
    const host = parseInvitation({ room: { name: 'Satu' }, role: 'host', simple: false, session });
    expect(host && notStartedYet(host)).toBe(false);
    const open = parseInvitation({ room: { name: 'Satu' }, role: 'guest', simple: false, session: { ...session, open: true } });
    expect(open && notStartedYet(open)).toBe(false);
  });
});
