import type { ScheduledSessionRecord } from '@tupa/db';
import { MAX_INVITATION_HOURS } from '@tupa/signaling/protocol';

/** The longest any invitation works (three months): the protocol's, which the invitation form's schema checks too. */
export { MAX_INVITATION_HOURS };
/** How long an invitation that is not for a session works when nobody says otherwise: two weeks. */
export const DEFAULT_INVITATION_HOURS = 24 * 14;

const HOUR_MS = 3600_000;

/**
 * When an invitation made at `now` stops working, and why.
 *
 * - Not for a session: after `validHours` (default two weeks), `endsWith: 'limit'`.
 * - For a session: when the session's last meeting ends (`endsWith: 'session'`), but never later
 *   than `validHours` from now (default and most: three months), so a weekly session without a
 *   last day gives an invitation that ends with the limit (`endsWith: 'limit'`).
 *
 * The last meeting's end is the schedule's own (`lastMeetingEndsAt`, worked out in the session's
 * time zone), so it is the end the calendar shows. `sessionOver: true` when the session has no
 * meeting left (the caller refuses such an invitation). One rule for making invitations and for
 * telling the coordinator beforehand what will happen.
 */
export function invitationExpiry(
  input: { session: Pick<ScheduledSessionRecord, 'lastMeetingEndsAt'> | null; validHours?: number },
  now: Date = new Date(),
): { expiresAt: Date; endsWith: 'session' | 'limit'; sessionOver: boolean } {
  const hours = input.validHours ?? (input.session ? MAX_INVITATION_HOURS : DEFAULT_INVITATION_HOURS);
  const limit = new Date(now.getTime() + hours * HOUR_MS);
  const lastEnd = input.session?.lastMeetingEndsAt ?? null;
  if (lastEnd === null || lastEnd > limit) return { expiresAt: limit, endsWith: 'limit', sessionOver: false };
  return { expiresAt: lastEnd, endsWith: 'session', sessionOver: lastEnd <= now };
}
