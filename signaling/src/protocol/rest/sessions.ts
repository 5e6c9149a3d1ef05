import { z } from 'zod';
import { roomIdSchema } from '../requests.ts';
import { oneLineText } from '../textFields.ts';
import { endpoint, isoInstant } from './endpoint.ts';

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether year, month and day name a day of the proleptic Gregorian calendar. */
function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * Whether `text` is a real date and time as a wall clock shows it, "2026-10-29T18:00" (seconds
 * optional), by the rules the schedule stores it with (Temporal, overflow rejected; a leap second
 * :60 is read as :59 there, so it passes here too).
 */
export function isWallClockText(text: string): boolean {
  const match = WALL_CLOCK.exec(text);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0)) as number[];
  return isRealDate(year!, month!, day!) && hour! <= 23 && minute! <= 59 && second! <= 60;
}

/** Whether `text` is a real calendar date, "2027-05-27". */
export function isLocalDateText(text: string): boolean {
  const match = LOCAL_DATE.exec(text);
  return match !== null && isRealDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** A date and time as a clock on the wall shows it, without zone: "2026-10-29T18:00". */
const wallClockText = z.string().refine(isWallClockText, 'must be a date and time such as 2026-10-29T18:00');
/** A calendar date: "2027-05-27". */
const localDateText = z.string().refine(isLocalDateText, 'must be a date such as 2027-05-27');

export const RECURRENCES = ['none', 'weekly'] as const;

/**
 * A session as the form sends it: `startsAt` is the first meeting's date and time on the
 * organisation's clock ("2026-10-29T18:00"), `repeatUntil` the date of the last meeting
 * ("2027-05-27", inclusive). An instant with an offset ("2026-10-29T16:00:00Z") is also taken,
 * and read on the organisation's clock (for `repeatUntil`: its date there).
 */
export const newSessionSchema = z.object({
  roomId: roomIdSchema,
  title: oneLineText({ min: 1, max: 120 }),
  startsAt: z.union([wallClockText, z.iso.datetime({ offset: true })]),
  durationMinutes: z.number().int().min(5).max(8 * 60),
  recurrence: z.enum(RECURRENCES).default('none'),
  repeatUntil: z.union([localDateText, z.iso.datetime({ offset: true })]).nullable().default(null),
  hostIds: z.array(z.uuid()).max(10).default([]),
});

/** Sessions are planned in these years: before, a slip of the keyboard; after, more than PostgreSQL holds. */
export const PLANNING_YEARS = { first: 2000, last: 2999 } as const;
export const PLANNING_YEARS_MESSAGE = `must be in the years ${PLANNING_YEARS.first} to ${PLANNING_YEARS.last}`;

/** True when a normalised wall-clock time or date ("2026-10-29T18:00", "2027-05-27") falls in PLANNING_YEARS. */
export function inPlanningYears(text: string): boolean {
  const year = /^\d{4}-/.test(text) ? Number(text.slice(0, 4)) : Number.NaN;
  return year >= PLANNING_YEARS.first && year <= PLANNING_YEARS.last;
}

/** `from` (an ISO instant in PLANNING_YEARS; default now) and `days` (1 to 366, default 28) of a listing. */
export const sessionRangeSchema = z.object({
  from: z.iso
    .datetime({ offset: true })
    // Zod runs this even after the format check failed: an unreadable date is simply not in range.
    .refine((s) => {
      const instant = new Date(s);
      return !Number.isNaN(instant.getTime()) && inPlanningYears(instant.toISOString());
    }, PLANNING_YEARS_MESSAGE)
    .optional(),
  days: z.coerce.number().int().min(1).max(366).default(28),
});

/** One meeting of a session: a one-off session has one, a weekly one has one each week. */
export const occurrenceSchema = z.object({
  sessionId: z.string(),
  roomId: z.string(),
  title: z.string(),
  startsAt: isoInstant,
  endsAt: isoInstant,
  hostIds: z.array(z.string()),
});
export type Occurrence = z.input<typeof occurrenceSchema>;

/**
 * A planned session as stored: wall-clock times in `timeZone` (the organisation's), so a weekly
 * session stays at the same hour across the clock changes; `startsAt` and `lastMeetingEndsAt`
 * (null: weekly without a last day) are the instants they give.
 */
export const scheduledSessionSchema = z.object({
  id: z.string(),
  roomId: z.string(),
  title: z.string(),
  localStart: z.string(),
  timeZone: z.string(),
  durationMinutes: z.number(),
  recurrence: z.enum(RECURRENCES),
  repeatUntil: z.string().nullable(),
  hostIds: z.array(z.string()),
  startsAt: isoInstant,
  lastMeetingEndsAt: isoInstant.nullable(),
  createdBy: z.string().nullable(),
  createdAt: isoInstant,
});
export type ScheduledSession = z.input<typeof scheduledSessionSchema>;

/**
 * A session an invitation into its room can be for: its next meeting, and when an invitation for
 * it made now would stop working, by the server's rule (`'session'`: when its last meeting ends;
 * `'limit'`: after three months, the longest).
 */
export const invitableSessionSchema = z.object({
  sessionId: z.string(),
  title: z.string(),
  weekly: z.boolean(),
  next: z.object({ startsAt: isoInstant, endsAt: isoInstant }),
  invitationEndsAt: isoInstant,
  invitationEndsWith: z.enum(['session', 'limit']),
});
export type InvitableSession = z.input<typeof invitableSessionSchema>;

export const sessionEndpoints = {
  /** Staff: meetings in a range, a host's own only. */
  listOccurrences: endpoint({
    method: 'GET',
    path: '/api/admin/sessions',
    status: 200,
    query: sessionRangeSchema,
    response: z.object({ occurrences: z.array(occurrenceSchema) }),
  }),
  /** Coordinators: plan a session on the organisation's clock. */
  createSession: endpoint({
    method: 'POST',
    path: '/api/admin/sessions',
    status: 201,
    body: newSessionSchema,
    response: z.object({ session: scheduledSessionSchema }),
  }),
  /** Coordinators: a session and all its meetings go. */
  deleteSession: endpoint({ method: 'DELETE', path: '/api/admin/sessions/:sessionId', status: 204 }),
  /** The room's sessions an invitation can be for, each with its next meeting in the coming 90 days. */
  listInvitableSessions: endpoint({
    method: 'GET',
    path: '/api/admin/rooms/:roomId/sessions',
    status: 200,
    response: z.object({ sessions: z.array(invitableSessionSchema) }),
  }),
};
