import { en, type MessageKey, type Messages } from './en.ts';
import { fi } from './fi.ts';
import { sv } from './sv.ts';

// Pure language helpers, shared by the server hook, the browser and the unit tests. Adding a
// language means adding its catalogue file and one entry in each table below.

export const LANGUAGES = ['fi', 'sv', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Used when none of the visitor's preferred languages is available. */
export const FALLBACK_LANGUAGE: Language = 'en';

export const catalogues: { readonly [L in Language]: Messages } = { fi, sv, en };

/** Writing direction per language, for `<html dir>`; ready for Arabic. */
export const textDirection: { readonly [L in Language]: 'ltr' | 'rtl' } = { fi: 'ltr', sv: 'ltr', en: 'ltr' };

/** Where the visitor's explicit choice is remembered (localStorage), and its cookie mirror for SSR. */
export const LANGUAGE_STORAGE_KEY = 'tupa.language';
export const LANGUAGE_COOKIE = 'tupa-lang';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The first supported language in a preference list such as `navigator.languages` ("sv-FI" → sv). */
export function matchLanguage(preferences: readonly string[]): Language | null {
  for (const tag of preferences) {
    const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
    if (isLanguage(primary)) return primary;
  }
  return null;
}

/** Language tags from an Accept-Language header, most preferred first. */
export function parseAcceptLanguage(header: string | null | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .slice(0, 20)
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q ? Number(q.slice(2)) : 1;
      return { tag: tag.trim(), quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((entry) => entry.tag !== '' && entry.tag !== '*' && entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index)
    .map((entry) => entry.tag);
}

/** Fills `{name}` placeholders; unknown placeholders are left as they are. */
export function format(template: string, params?: Readonly<Record<string, string | number>>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

/** The message for `key` in `lang`, with placeholders filled. */
export function translate(
  lang: Language,
  key: MessageKey,
  params?: Readonly<Record<string, string | number>>,
): string {
  return format(catalogues[lang][key], params);
}

export type { MessageKey, Messages };
