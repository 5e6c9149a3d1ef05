import { RRuleTemporal } from 'rrule-temporal';
import { Temporal } from 'temporal-polyfill';
import type { Recurrence } from '../models/schedule.ts';
import { zonedWallClock } from '../wallClock.ts';

/** What decides when a session's meetings are: its wall-clock start in its zone and how it repeats. */
export interface SessionTimes {
  /** The first meeting's wall-clock start in `timeZone`, "2026-10-29T18:00:00". */
  localStart: string;
  /** IANA time zone, e.g. "Europe/Helsinki". */
  timeZone: string;
  durationMinutes: number;
  recurrence: Recurrence;
  /** Weekly: the date (in `timeZone`) of the last day a meeting may fall on, inclusive; null: no end. */
  repeatUntil: string | null;
}

/**
 * A weekly session as an RFC 5545 rule (FREQ=WEEKLY, DTSTART;TZID, UNTIL), expanded by
 * rrule-temporal: every meeting is at the same wall-clock time in the session's zone, whatever
 * the offset that week. A weekly meeting whose time the clocks skip that night (03.30 on the
 * spring-forward Sunday) does not take place, as RFC 5545 §3.3.10 says.
 */
function weeklyRule(times: SessionTimes): RRuleTemporal {
  const dtstart = zonedWallClock(times.localStart, times.timeZone);
  const until = endOfLastDay(times);
  return new RRuleTemporal({ freq: 'WEEKLY', dtstart, ...(until ? { until } : {}) });
}

/** The last moment of the `repeatUntil` day in the session's zone (UNTIL is inclusive). */
function endOfLastDay(times: SessionTimes): Temporal.ZonedDateTime | null {
  if (!times.repeatUntil) return null;
  return Temporal.PlainDate.from(times.repeatUntil).toZonedDateTime({
    timeZone: times.timeZone,
    plainTime: Temporal.PlainTime.from('23:59:59.999999999'),
  });
}

/** When the first meeting starts. */
export function firstMeetingStart(times: SessionTimes): Date {
  return new Date(zonedWallClock(times.localStart, times.timeZone).epochMilliseconds);
}

/** When the last meeting ends; null for a weekly session without a last day. */
export function lastMeetingEnd(times: SessionTimes): Date | null {
  const durationMs = times.durationMinutes * 60_000;
  if (times.recurrence !== 'weekly') return new Date(firstMeetingStart(times).getTime() + durationMs);
  const until = endOfLastDay(times);
  if (!until) return null;
  const last = weeklyRule(times).previous(new Date(until.epochMilliseconds), true);
  return new Date((last?.epochMilliseconds ?? firstMeetingStart(times).getTime()) + durationMs);
}

/**
 * The starts of the meetings that overlap [from, to) (start before `to`, end after `from`),
 * earliest first, at most `limit` of them.
 */
export function meetingStarts(times: SessionTimes, from: Date, to: Date, limit: number): Date[] {
  const durationMs = times.durationMinutes * 60_000;
  // A meeting overlaps when it starts after `from - duration` and before `to`.
  const after = from.getTime() - durationMs;
  if (times.recurrence !== 'weekly') {
    const start = firstMeetingStart(times).getTime();
    return start > after && start < to.getTime() && limit > 0 ? [new Date(start)] : [];
  }
  const rule = weeklyRule(times);
  const starts: Date[] = [];
  for (let next = rule.next(new Date(after)); next && starts.length < limit; next = rule.next(next)) {
    if (next.epochMilliseconds >= to.getTime()) break;
    starts.push(new Date(next.epochMilliseconds));
  }
  return starts;
}
