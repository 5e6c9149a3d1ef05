import { DEFAULT_TIME_ZONE, organisationTimeZone } from '#lib/organisationTimeZone.ts';

// Times in the staff console are on the organisation's clock (organisationTimeZone), whatever
// the computer's own zone is, and written the way the chosen language writes them. Instants are
// only ever formatted here (Intl knows every zone's changes); turning a typed wall-clock time
// into an instant is the server's work, with its recurrence library.

const LOCALES = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' } as const;
type Lang = keyof typeof LOCALES;

/** "14.30" / "14:30" */
export function formatTime(iso: string | Date, lang: Lang): string {
  return new Intl.DateTimeFormat(LOCALES[lang], { timeZone: organisationTimeZone(), hour: '2-digit', minute: '2-digit' }).format(
    new Date(iso),
  );
}

/** "tiistai 3.6." / "Tuesday 3 June" */
export function formatDay(iso: string | Date, lang: Lang): string {
  return new Intl.DateTimeFormat(LOCALES[lang], {
    timeZone: organisationTimeZone(),
    weekday: 'long',
    day: 'numeric',
    month: 'long',
  }).format(new Date(iso));
}

/** Date and time, for expiry lines: "3.6.2025 klo 14.30". */
export function formatDateTime(iso: string | Date, lang: Lang): string {
  return new Intl.DateTimeFormat(LOCALES[lang], {
    timeZone: organisationTimeZone(),
    day: 'numeric',
    month: 'numeric',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}

/**
 * The organisation's zone in words for a form's help line, or null for Tupa's own zone (whose
 * words, "Finnish time", are in the catalogue): "Eastern Time (New York)".
 */
export function otherZoneName(lang: Lang): string | null {
  const zone = organisationTimeZone();
  if (zone === DEFAULT_TIME_ZONE) return null;
  const name = new Intl.DateTimeFormat(LOCALES[lang], { timeZone: zone, timeZoneName: 'longGeneric' })
    .formatToParts(new Date())
    .find((part) => part.type === 'timeZoneName')?.value;
  const place = zone.includes('/') ? zone.slice(zone.lastIndexOf('/') + 1).replaceAll('_', ' ') : '';
  return place && name ? `${name} (${place})` : (name ?? zone);
}

/** The calendar day on the organisation's clock as YYYY-MM-DD, for grouping and comparing days. */
export function organisationDate(iso: string | Date): string {
  return wallClockAt(new Date(iso)).slice(0, 10);
}

/** Days from today (on the organisation's clock) to the day of `iso`: 0 today, 1 tomorrow. */
export function daysFromToday(iso: string | Date, now: Date = new Date()): number {
  const day = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
  return Math.round((day(organisationDate(iso)) - day(organisationDate(now))) / 86_400_000);
}

/** What the organisation's clock shows at `date`, as a datetime-local field holds it: "2025-06-03T14:30". */
export function wallClockAt(date: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: organisationTimeZone(),
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(date);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}

/**
 * The start a new session's form offers: the next whole half hour on the organisation's clock
 * ("2026-11-29T22:00" at 21.40 there), as calendar apps such as Google Calendar and Outlook
 * offer for a new event. It is today and plainly close to now, so nobody mistakes it for a time
 * someone chose; a fixed guess further off ("tomorrow at 10.00") looked deliberate, and saving
 * the form unchanged made a session nobody meant. The half hour is counted on the clock's face,
 * not in UTC, so it is right also in zones whose offset is not whole hours.
 */
export function nextHalfHour(now: Date = new Date()): string {
  const wall = wallClockAt(now);
  const [date, time] = wall.split('T') as [string, string];
  const minutes = Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
  const rounded = Math.floor(minutes / 30) * 30 + 30;
  // Calendar arithmetic on the date alone (UTC has no clock changes), for a half hour past midnight.
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCMinutes(rounded);
  return day.toISOString().slice(0, 16);
}

/**
 * A planned wall-clock time ("2026-10-29T18:00", as the form holds it) in words, plus `minutes`:
 * its day with weekday ("Thursday 29 October 2026"), date alone, weekday and time as the
 * organisation's clock will show them. Read as a UTC time and
 * written in UTC, so the computer's own zone cannot shift it; null when it is not such a time.
 */
export function describeWallClock(
  wallClock: string,
  lang: Lang,
  minutes = 0,
): { day: string; date: string; weekday: string; time: string } | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(wallClock)) return null;
  const date = new Date(`${wallClock}:00Z`);
  if (Number.isNaN(date.getTime())) return null;
  date.setUTCMinutes(date.getUTCMinutes() + minutes);
  const format = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(LOCALES[lang], { timeZone: 'UTC', ...options }).format(date);
  return {
    day: format({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }),
    date: format({ day: 'numeric', month: 'long', year: 'numeric' }),
    weekday: format({ weekday: 'long' }),
    time: format({ hour: '2-digit', minute: '2-digit' }),
  };
}
