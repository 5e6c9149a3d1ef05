import type { Language } from '#lib/i18n/languages.ts';

// Session times as people in Finland read them: always in Helsinki time (the organisation's
// time, whatever the tablet's clock says), "17.30" in Finnish and Swedish, "17:30" in English.

export const SESSION_TIME_ZONE = 'Europe/Helsinki';

const LOCALES: Record<Language, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };

/** The parts of a start time that the messages place into their own word order. */
export interface SessionStart {
  /** "17.30" / "17:30" */
  time: string;
  /** "torstaina 12.3." / "torsdag 12.3" / "Thursday 12 March" (Finnish in the essive, as in "on Thursday"). */
  day: string;
}

export function formatSessionStart(iso: string | Date, lang: Language): SessionStart {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  const locale = LOCALES[lang];
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone: SESSION_TIME_ZONE })
    .format(date)
    .replace(':', lang === 'en' ? ':' : '.');
  const weekday = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: SESSION_TIME_ZONE }).format(date);
  const parts = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'numeric', timeZone: SESSION_TIME_ZONE }).formatToParts(date);
  const dayOfMonth = parts.find((p) => p.type === 'day')?.value ?? '';
  const month = parts.find((p) => p.type === 'month')?.value ?? '';
  if (lang === 'fi') return { time, day: `${weekday}na ${dayOfMonth}.${month}.` };
  if (lang === 'sv') return { time, day: `${weekday} ${dayOfMonth}.${month}` };
  const monthName = new Intl.DateTimeFormat(locale, { month: 'long', timeZone: SESSION_TIME_ZONE }).format(date);
  return { time, day: `${weekday} ${dayOfMonth} ${monthName}` };
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
