// Times in the staff console are Finnish local time, whatever the computer's own zone is, and
// written the way the chosen language writes them.

export const TIME_ZONE = 'Europe/Helsinki';

const LOCALES = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' } as const;
type Lang = keyof typeof LOCALES;

/** "14.30" / "14:30" */
export function formatTime(iso: string | Date, lang: Lang): string {
  return new Intl.DateTimeFormat(LOCALES[lang], { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

/** "tiistai 3.6." / "Tuesday 3 June" */
export function formatDay(iso: string | Date, lang: Lang): string {
  return new Intl.DateTimeFormat(LOCALES[lang], { timeZone: TIME_ZONE, weekday: 'long', day: 'numeric', month: 'long' }).format(
    new Date(iso),
  );
}

/** Date and time, for expiry lines: "3.6.2025 klo 14.30". */
export function formatDateTime(iso: string | Date, lang: Lang): string {
  return new Intl.DateTimeFormat(LOCALES[lang], {
    timeZone: TIME_ZONE,
    day: 'numeric',
    month: 'numeric',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}

/** The calendar day in Helsinki as YYYY-MM-DD, for grouping and comparing days. */
export function helsinkiDate(iso: string | Date): string {
  const parts = partsOf(new Date(iso));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** Days from today (Helsinki) to the day of `iso`: 0 today, 1 tomorrow. */
export function daysFromToday(iso: string | Date, now: Date = new Date()): number {
  const day = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
  return Math.round((day(helsinkiDate(iso)) - day(helsinkiDate(now))) / 86_400_000);
}

function partsOf(date: Date): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string> {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: TIME_ZONE,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** Minutes Helsinki is ahead of UTC at the instant `date`. */
function offsetMinutes(date: Date): number {
  const p = partsOf(date);
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
}

/**
 * A wall-clock time in Helsinki ("2025-06-03T14:30", as a datetime-local field gives it) as an
 * ISO string with its offset; null when the text is not such a time.
 */
export function helsinkiWallTimeToIso(local: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!match) return null;
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  if (Number.isNaN(wall)) return null;
  // Two passes settle the offset also next to a daylight-saving change.
  let guess = wall - offsetMinutes(new Date(wall)) * 60_000;
  guess = wall - offsetMinutes(new Date(guess)) * 60_000;
  return new Date(guess).toISOString();
}

/** The value for a datetime-local field showing `date` in Helsinki time. */
export function toHelsinkiWallTime(date: Date): string {
  const p = partsOf(date);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}
