import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { boxOf } from './browser.ts';

// The storytime book stage as a test reads it: which page it shows, and where on the screen a
// point of the page is.

/** The page number the book stage shows, and the page its picture is of (-1: no picture). */
export async function shownPage(page: Page): Promise<{ stage: number; image: number }> {
  const stage = Number(await page.locator('[data-page]').getAttribute('data-page'));
  const src = (await page.locator('img[data-page-image]').getAttribute('src')) ?? '';
  const match = /\/pages\/(\d+)\/(small|large)$/.exec(src);
  return { stage, image: match ? Number(match[1]) : -1 };
}

/** Waits until the stage shows page `expected` and its picture has loaded. */
export async function expectPage(page: Page, expected: number): Promise<void> {
  // Generous: on a busy machine three browsers share two cores.
  await expect.poll(() => shownPage(page), { timeout: 10_000 }).toEqual({ stage: expected, image: expected });
  await expect
    .poll(
      () =>
        page
          .locator('img[data-page-image]')
          .evaluate((img) => (img as unknown as { complete: boolean; naturalWidth: number }).complete && (img as unknown as { naturalWidth: number }).naturalWidth > 0),
      { timeout: 10_000 },
    )
    .toBe(true);
}

/** Where on the screen a point of the page (each 0..1) is. */
export async function onPage(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  const box = await boxOf(page.locator('img[data-page-image]'));
  return { x: box.x + box.width * x, y: box.y + box.height * y };
}
