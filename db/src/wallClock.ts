import { Temporal } from 'temporal-polyfill';

// People plan by the clock on the wall ("Thursdays at 18.00, Helsinki time"), and the instant
// that means moves by an hour at each change of the clocks. These helpers turn one into the other
// with Temporal (the temporal-polyfill package until Node has Temporal itself), never by adding
// hours to a UTC instant (conventions, rule 14).

/** A wall-clock date and time as typed: "2026-10-29T18:00", seconds optional, no zone or offset. */
const WALL_CLOCK = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;
/** A calendar date: "2026-10-29". */
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * True when `name` is a time zone Intl and Temporal both know: an IANA name such as
 * "Europe/Helsinki" or "America/New_York", "UTC", or a fixed offset such as "+02:00".
 */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    Temporal.Now.zonedDateTimeISO(name);
    return true;
  } catch {
    return false;
  }
}

/**
 * A wall-clock date and time in the form it is stored in, "2026-10-29T18:00:00" (seconds, no
 * fraction); null when `text` ("2026-10-29T18:00" or with seconds) is not a real date and time.
 */
export function normaliseWallClock(text: string): string | null {
  if (!WALL_CLOCK.test(text)) return null;
  try {
    return Temporal.PlainDateTime.from(text, { overflow: 'reject' }).toString({ smallestUnit: 'second' });
  } catch {
    return null;
  }
}

/** A calendar date "2026-10-29" as stored; null when `text` is not a real date. */
export function normaliseLocalDate(text: string): string | null {
  if (!LOCAL_DATE.test(text)) return null;
  try {
    return Temporal.PlainDate.from(text, { overflow: 'reject' }).toString();
  } catch {
    return null;
  }
}

/** The wall-clock time ("2026-10-29T18:00:00") a clock in `timeZone` shows at `instant` (whole seconds). */
export function wallClockAt(instant: Date, timeZone: string): string {
  return toZoned(instant, timeZone).toPlainDateTime().toString({ smallestUnit: 'second', roundingMode: 'trunc' });
}

/** The calendar date ("2026-10-29") in `timeZone` at `instant`. */
export function localDateAt(instant: Date, timeZone: string): string {
  return toZoned(instant, timeZone).toPlainDate().toString();
}

/**
 * The moment a wall-clock time in `timeZone` stands for, as a Temporal.ZonedDateTime. A time the
 * clocks skip in spring (03.30 in Helsinki on the last Sunday of March) is read with the offset
 * before the change, so it falls an hour later (04.30); a time that comes twice in autumn means
 * the first one. This is RFC 5545 §3.3.5's rule for DTSTART and Temporal's 'compatible'.
 * Throws RangeError for a malformed time or an unknown zone.
 */
export function zonedWallClock(wallClock: string, timeZone: string): Temporal.ZonedDateTime {
  return Temporal.PlainDateTime.from(wallClock).toZonedDateTime(timeZone, { disambiguation: 'compatible' });
}

/** The instant a wall-clock time in `timeZone` stands for (see zonedWallClock for the clock changes). */
export function instantOfWallClock(wallClock: string, timeZone: string): Date {
  return new Date(zonedWallClock(wallClock, timeZone).epochMilliseconds);
}

function toZoned(instant: Date, timeZone: string): Temporal.ZonedDateTime {
  return Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(timeZone);
}
