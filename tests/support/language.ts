import type { Page } from 'playwright-core';
import { catalogues, type Language } from '../../web/src/lib/i18n/languages.ts';

/**
 * Switches the page's language the way a person does: with the buttons at the top of the page,
 * or during a call through the "Language" button that keeps them folded away (so a touch at the
 * top of the screen never changes the language mid-call). Resolves once the page speaks `lang`.
 */
export async function chooseLanguage(page: Page, lang: Language): Promise<void> {
  const choice = page.getByRole('button', { name: catalogues[lang]['language.name'], exact: true });
  if (!(await choice.isVisible())) await page.locator('button[aria-controls="language-choices"]').click();
  await choice.click();
  await page.locator(`html[lang="${lang}"]`).waitFor();
}
