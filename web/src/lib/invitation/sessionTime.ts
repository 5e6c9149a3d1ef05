import type { Language } from '#lib/i18n/languages.ts';
import { organisationTimeZone } from '#lib/organisationTimeZone.ts';

// Session times as the organisation's people read them: always on its clock (Helsinki unless the
// server says another zone), whatever the tablet's clock says; "17.30" in Finnish and Swedish,
// "17:30" in English.

const LOCALES: Record<Language, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };

/** The parts of a start time that the messages place into their own word order. */
export interface SessionStart {
  /** "17.30" / "17:30" */
  time: string;
  /** "torstaina 12.3." / "torsdag 12.3" / "Thursday 12 March" (Finnish in the essive, as in "on Thursday"). */
  day: string;
}

/** A start on the organisation's clock, and on the device's own when that shows another time. */
export interface SessionStartEverywhere extends SessionStart {
  /**
   * The same moment on this device's clock, when its time zone shows another time or day (a
   * grandparent abroad); null when the two clocks agree.
   */
  onDeviceClock: SessionStart | null;
}

/**
 * A session's start as its time and day on the organisation's clock, in `lang`, and on the
 * device's clock when that differs. `deviceTimeZone` is the browser's own unless given (tests).
 */
export function formatSessionStart(iso: string | Date, lang: Language, deviceTimeZone?: string): SessionStartEverywhere {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  const organisation = formatOn(date, lang, organisationTimeZone());
  const device = formatOn(date, lang, deviceTimeZone ?? new Intl.DateTimeFormat().resolvedOptions().timeZone);
  const same = device.time === organisation.time && device.day === organisation.day;
  return { ...organisation, onDeviceClock: same ? null : device };
}

function formatOn(date: Date, lang: Language, timeZone: string): SessionStart {
  const locale = LOCALES[lang];
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone })
    .format(date)
    .replace(':', lang === 'en' ? ':' : '.');
  const weekday = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone }).format(date);
  const parts = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'numeric', timeZone }).formatToParts(date);
  const dayOfMonth = parts.find((p) => p.type === 'day')?.value ?? '';
  const month = parts.find((p) => p.type === 'month')?.value ?? '';
  if (lang === 'fi') return { time, day: `${weekday}na ${dayOfMonth}.${month}.` };
  if (lang === 'sv') return { time, day: `${weekday} ${dayOfMonth}.${month}` };
  // British English pads a day written beside a numeric month ("05/11"); beside the month's name it does not.
  const named = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', timeZone }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => named.find((p) => p.type === type)?.value ?? '';
  return { time, day: `${weekday} ${part('day')} ${part('month')}` };
}

/** A room's language named in the reader's language ("Finnish", "suomi", "finska"). */
export function languageName(code: string, lang: Language): string {
  try {
    return new Intl.DisplayNames([LOCALES[lang]], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** A guest's session invitation opens this long before the meeting starts (the server decides). */
export const OPENS_EARLY_MS = 15 * 60_000;
/** How often a waiting page looks again once the door is about to open. */
export const LOOK_AGAIN_EVERY_MS = 30_000;
/** Further ahead than this, the page does not wait by itself: the person comes back later. */
const WAITS_AT_MOST_MS = 12 * 3600_000;

/**
 * How long a "not started yet" page waits before asking the server again: until a minute before
 * the door opens (tablet clocks are not exact), then every half minute; null when that is hours
 * away.
 */
export function nextLookIn(startsAt: string, now: number): number | null {
  const untilLook = Date.parse(startsAt) - OPENS_EARLY_MS - 60_000 - now;
  if (untilLook > WAITS_AT_MOST_MS) return null;
  return untilLook > 0 ? untilLook : LOOK_AGAIN_EVERY_MS;
}
