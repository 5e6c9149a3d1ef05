import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import {
  LANGUAGES,
  catalogues,
  format,
  matchLanguage,
  parseAcceptLanguage,
} from './languages.ts';

const placeholders = (message: string): string[] => [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe('message catalogues', () => {
  const englishKeys = Object.keys(en).sort();

  it('has English as a non-trivial key source', () => {
    expect(englishKeys.length).toBeGreaterThan(50);
  });

  for (const lang of LANGUAGES) {
    describe(lang, () => {
      const catalogue: Record<string, string> = catalogues[lang];

      it('has exactly the same keys as English', () => {
        expect(Object.keys(catalogue).sort()).toEqual(englishKeys);
      });

      it('has no empty or whitespace-only messages', () => {
        const empty = Object.entries(catalogue).filter(([, v]) => typeof v !== 'string' || v.trim() === '');
        expect(empty).toEqual([]);
      });

      it('uses the same placeholders as English in every message', () => {
        const differing = englishKeys.filter(
          (key) => placeholders(catalogue[key]!).join() !== placeholders((en as Record<string, string>)[key]!).join(),
        );
        expect(differing).toEqual([]);
      });
    });
  }

  it('names every language differently, in that language', () => {
    expect(LANGUAGES.map((l) => catalogues[l]['language.name'])).toEqual(['Suomi', 'Svenska', 'English']);
  });

  it('is actually translated: Finnish and Swedish differ from English for most keys', () => {
    for (const lang of ['fi', 'sv'] as const) {
      const same = englishKeys.filter((k) => (catalogues[lang] as Record<string, string>)[k] === (en as Record<string, string>)[k]);
      // Only the product name and a few technical words may stay the same.
      expect(same.length, `${lang}: ${same.join(', ')}`).toBeLessThan(6);
    }
  });
});

describe('language helpers', () => {
  it('matches regional tags to the supported language', () => {
    expect(matchLanguage(['sv-FI', 'fi'])).toBe('sv');
    expect(matchLanguage(['de-DE', 'fi-FI'])).toBe('fi');
    expect(matchLanguage(['de', 'fr'])).toBeNull();
  });

  it('orders Accept-Language by quality and drops q=0', () => {
    expect(parseAcceptLanguage('de;q=0.3, sv-FI;q=0.8, en;q=0, fi')).toEqual(['fi', 'sv-FI', 'de']);
    expect(parseAcceptLanguage(null)).toEqual([]);
  });

  it('fills placeholders and leaves unknown ones alone', () => {
    expect(format('{name} joined', { name: 'Aino' })).toBe('Aino joined');
    expect(format('{name} and {other}', { name: 'Aino' })).toBe('Aino and {other}');
    expect(format('{constructor}', {})).toBe('{constructor}');
  });
});
