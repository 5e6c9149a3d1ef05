import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Language } from '../../web/src/lib/i18n/languages.ts';
import { seriousAccessibilityProblems } from './axe.ts';
import { chooseLanguage } from './language.ts';
import { saveScreen, SCREEN_WIDTHS } from './screens.ts';

/** A phone held upright, the same phone on its side, and a laptop. */
export const SCREEN_SIZES = [SCREEN_WIDTHS.phone, { width: 844, height: 390 }, SCREEN_WIDTHS.desktop] as const;

/** Finnish, Swedish, then English, so that a test goes on in English afterwards. */
const LANGUAGES: readonly Language[] = ['fi', 'sv', 'en'];

/** Resolves after the browser has laid out and painted twice: a new size has taken effect. */
async function painted(page: Page): Promise<void> {
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
}

/**
 * Looks at what the page shows now in Finnish, Swedish and English, at every size of
 * SCREEN_SIZES: axe finds nothing serious in any of them, and each is saved as
 * `<name>-<lang>-<width>x<height>.png`. Ends in English at the laptop size. `open` puts the
 * screen back after a language change (a modal dialog keeps the language buttons out of reach,
 * so it is closed by `close` before each change and opened again after it).
 */
export async function lookInEveryLanguageAndSize(
  page: Page,
  name: string,
  options: { fullPage?: boolean; open?: () => Promise<void>; close?: () => Promise<void> } = {},
): Promise<void> {
  for (const lang of LANGUAGES) {
    await options.close?.();
    await chooseLanguage(page, lang);
    await options.open?.();
    for (const size of SCREEN_SIZES) {
      await page.setViewportSize(size);
      await painted(page);
      expect(await seriousAccessibilityProblems(page), `${name} in ${lang} at ${size.width}x${size.height}`).toEqual([]);
      await saveScreen(page, `${name}-${lang}-${size.width}x${size.height}`, { fullPage: options.fullPage ?? true });
    }
  }
  await page.setViewportSize(SCREEN_WIDTHS.desktop);
}
