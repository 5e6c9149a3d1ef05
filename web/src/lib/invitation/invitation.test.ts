import { describe, expect, it } from 'vitest';
import { normaliseCode, parseInvitation } from './invitation.ts';

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
    });
    expect(parseInvitation({ error: { code: 'not-found' } })).toBeNull();
  });
});
