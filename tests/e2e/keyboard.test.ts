import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openPage, selfVideoReady } from '../support/browser.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

// A person who uses only the keyboard makes a room, joins it and works the call bar: every step
// is reached with Tab, done with Enter or Space, and the focused control always shows its ring.

let t: TestServer;
let browser: Browser;

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestServer(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

interface Focused {
  /** The accessible name as a person hears it: aria-label, the label of a field, or the text. */
  name: string;
  /** Whether a focus indicator is drawn: an outline of at least 2 px. */
  ringVisible: boolean;
}

/** What has the keyboard focus now. Plain JavaScript, because it runs in the page. */
function focused(page: Page): Promise<Focused> {
  return page.evaluate(`(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { name: '', ringVisible: false };
    const label = el.getAttribute('aria-label') ?? (el.labels && el.labels[0] ? el.labels[0].textContent : null) ?? el.textContent;
    const style = getComputedStyle(el);
    const ringVisible = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    return { name: (label ?? '').replace(/\\s+/g, ' ').trim(), ringVisible };
  })()`);
}

/** Presses Tab until the control whose name starts with `name` has the focus (at most 40 times). */
async function tabTo(page: Page, name: string): Promise<Focused> {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    if (now.name.startsWith(name)) return now;
  }
  throw new Error(`"${name}" was never reached with Tab`);
}

describe('keyboard only', () => {
  it('makes a room, joins and uses the call bar without a mouse, with a visible focus ring', async () => {
    const { page } = await openPage(browser, { locale: 'en-US' });
    // Until the app's code has loaded, a key press on a button does nothing: wait for it.
    await page.goto(`${t.url}/`, { waitUntil: 'networkidle' });

    expect(await tabTo(page, 'Create a room')).toMatchObject({ ringVisible: true });
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: 'Go to the room' }).waitFor();
    expect(await tabTo(page, 'Go to the room')).toMatchObject({ ringVisible: true });
    await page.keyboard.press('Enter');

    await page.getByRole('textbox', { name: 'Your name' }).waitFor();
    expect(await tabTo(page, 'Your name')).toMatchObject({ ringVisible: true });
    await page.keyboard.type('Aino');
    await selfVideoReady(page);
    expect(await tabTo(page, 'Join')).toMatchObject({ ringVisible: true });
    await page.keyboard.press('Enter');

    // In the call: the microphone goes off with Space, the hand goes up with Enter.
    await page.getByRole('button', { name: 'Leave' }).waitFor({ timeout: 15_000 });
    expect(await tabTo(page, 'Microphone on')).toMatchObject({ ringVisible: true });
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByRole('button', { name: 'Microphone off' }).count(), { timeout: 15_000 }).toBe(1);

    expect(await tabTo(page, 'Raise hand')).toMatchObject({ ringVisible: true });
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByRole('button', { name: 'Lower hand' }).getAttribute('aria-pressed'), { timeout: 15_000 })
      .toBe('true');

    expect(await tabTo(page, 'Leave')).toMatchObject({ ringVisible: true });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('button', { name: 'Leave' }).count(), { timeout: 15_000 }).toBe(0);
  });
});
