import { describe, expect, it } from 'vitest';
import { invitationExpiry } from './invitationExpiry.ts';

const now = new Date('2026-03-10T12:00:00Z');
const hours = (n: number) => new Date(now.getTime() + n * 3600_000);

describe('when an invitation stops working', () => {
  it('ends an any-time invitation after its validity, two weeks unless given', () => {
    expect(invitationExpiry({ session: null }, now)).toEqual({ expiresAt: hours(14 * 24), endsWith: 'limit', sessionOver: false });
    expect(invitationExpiry({ session: null, validHours: 24 }, now).expiresAt).toEqual(hours(24));
  });

  it("ends a session's invitation with its last meeting, not after a default two weeks", () => {
    const lastMeetingEndsAt = hours(3 * 7 * 24);
    expect(invitationExpiry({ session: { lastMeetingEndsAt } }, now)).toEqual({ expiresAt: lastMeetingEndsAt, endsWith: 'session', sessionOver: false });
  });

  it('caps a session without a last day, or one that goes on longer, at three months', () => {
    expect(invitationExpiry({ session: { lastMeetingEndsAt: null } }, now)).toEqual({ expiresAt: hours(90 * 24), endsWith: 'limit', sessionOver: false });
    expect(invitationExpiry({ session: { lastMeetingEndsAt: hours(200 * 24) } }, now).expiresAt).toEqual(hours(90 * 24));
  });

  it('lets a shorter validity given with a session win', () => {
    expect(invitationExpiry({ session: { lastMeetingEndsAt: hours(100) }, validHours: 48 }, now)).toMatchObject({ expiresAt: hours(48), endsWith: 'limit' });
  });

  it('says when the session has no meeting left', () => {
    expect(invitationExpiry({ session: { lastMeetingEndsAt: hours(-1) } }, now).sessionOver).toBe(true);
  });
});
