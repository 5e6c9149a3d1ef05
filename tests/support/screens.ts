import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

/** Screenshots for people to look at; tests/artifacts is not committed. */
export const SCREENS_DIR = join(import.meta.dirname, '..', 'artifacts', 'screens');

/** The widths every screen is looked at: a phone and a laptop. */
export const SCREEN_WIDTHS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } } as const;

/** Saves the page as `<name>.png` in the screens folder and returns the path. */
export async function saveScreen(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENS_DIR, { recursive: true });
  const path = join(SCREENS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: options.fullPage ?? true });
  return path;
}
