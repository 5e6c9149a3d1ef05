import { getContext, setContext } from 'svelte';
import {
  FALLBACK_LANGUAGE,
  LANGUAGE_COOKIE,
  LANGUAGE_STORAGE_KEY,
  LANGUAGES,
  catalogues,
  isLanguage,
  matchLanguage,
  textDirection,
  translate,
  type Language,
  type MessageKey,
} from './languages.ts';

/**
 * The visitor's language as reactive state. One instance per page load, created by the root
 * layout and handed down through context (never module state, which the server would share
 * between requests).
 */
export class I18n {
  lang = $state<Language>(FALLBACK_LANGUAGE);

  constructor(initial: Language) {
    this.lang = initial;
  }

  get dir(): 'ltr' | 'rtl' {
    return textDirection[this.lang];
  }

  /** The languages to offer, each named in its own language. */
  get choices(): { lang: Language; name: string }[] {
    return LANGUAGES.map((lang) => ({ lang, name: catalogues[lang]['language.name'] }));
  }

  /** Translates `key` in the current language; an arrow so it can be passed around. */
  t = (key: MessageKey, params?: Readonly<Record<string, string | number>>): string =>
    translate(this.lang, key, params);

  /** Switches language and remembers the choice in this browser. */
  choose(lang: Language): void {
    this.lang = lang;
    try {
      localStorage.setItem(LANGUAGE_STORAGE_KEY, lang);
    } catch {
      // Storage can be disabled (private mode); the choice then lasts for this page only.
    }
    // Mirrored in a cookie so the server renders the next page in the same language.
    document.cookie = `${LANGUAGE_COOKIE}=${lang}; Path=/; Max-Age=31536000; SameSite=Lax`;
  }
}

/** In the browser: the remembered choice, else the browser's languages, else English. */
export function browserLanguage(): Language {
  try {
    const stored = localStorage.getItem(LANGUAGE_STORAGE_KEY);
    if (isLanguage(stored)) return stored;
  } catch {
    // Storage unavailable: fall through to the cookie and the browser's preference.
  }
  const cookie = document.cookie
    .split(';')
    .map((part) => part.trim().split('='))
    .find(([name]) => name === LANGUAGE_COOKIE)?.[1];
  if (isLanguage(cookie)) return cookie;
  const languages = navigator.languages?.length ? navigator.languages : [navigator.language];
  return matchLanguage(languages) ?? FALLBACK_LANGUAGE;
}

const I18N_CONTEXT = Symbol('tupa.i18n');

export function setI18n(i18n: I18n): I18n {
  return setContext(I18N_CONTEXT, i18n);
}

/** The page's I18n, set by the root layout. */
export function getI18n(): I18n {
  const i18n = getContext<I18n | undefined>(I18N_CONTEXT);
  if (!i18n) throw new Error('getI18n() called outside the root layout');
  return i18n;
}
