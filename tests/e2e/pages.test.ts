import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogues, type Language, type MessageKey } from '../../web/src/lib/i18n/languages.ts';
import { launchChromium, openPage, type TestPage } from '../support/browser.ts';
import { saveScreen } from '../support/screens.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

// Every screen of the first flow, on a phone and on a laptop, in Finnish and English: the text
// comes from the right catalogue, nothing spills sideways, the buttons are big, the call's
// buttons stay on screen, and the CSP refuses nothing. Screenshots go to tests/artifacts/screens
// for people to look at.

/** The smallest height for the main buttons (the design asks for at least 56 CSS pixels). */
const BIG_BUTTON_PX = 56;

let t: TestServer;
let browser: Browser;

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestServer(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

const viewports = [
  { label: 'phone', width: 390, height: 844 },
  { label: 'laptop', width: 1280, height: 800 },
] as const;
const locales: { lang: Language; locale: string }[] = [
  { lang: 'fi', locale: 'fi-FI' },
  { lang: 'en', locale: 'en-US' },
];

async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
  expect(overflow).toBeLessThanOrEqual(0);
}

async function expectBig(button: Locator): Promise<void> {
  const box = await button.boundingBox();
  expect(box, 'button is rendered').not.toBeNull();
  expect(box!.height).toBeGreaterThanOrEqual(BIG_BUTTON_PX);
}

/** Fully inside the visible window, without scrolling. */
async function expectOnScreen(page: Page, locator: Locator): Promise<void> {
  const box = await locator.boundingBox();
  const viewport = page.viewportSize()!;
  expect(box).not.toBeNull();
  expect(box!.y).toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height).toBeLessThanOrEqual(viewport.height);
}

describe('the pages in Chromium', () => {
  for (const { lang, locale } of locales) {
    for (const viewport of viewports) {
      const tag = `${lang}-${viewport.label}`;
      const text = (key: MessageKey) => catalogues[lang][key];

      it(`start page, pre-join, call and goodbye work and fit a ${viewport.label} in ${lang}`, async () => {
        const opened: TestPage = await openPage(browser, { locale, viewport });
        const { page, problems } = opened;
        try {
          await page.goto(`${t.url}/`);
          expect(await page.getAttribute('html', 'lang')).toBe(lang);
          await page.getByRole('heading', { level: 1, name: text('home.title') }).waitFor();
          const create = page.getByRole('button', { name: text('home.create') });
          await expectBig(create);
          await expectNoSidewaysScroll(page);
          await saveScreen(page, `home-${tag}`);

          await create.click();
          const goToRoom = page.getByRole('link', { name: text('home.goToRoom') });
          await goToRoom.waitFor();
          await expectBig(goToRoom);
          await expectBig(page.getByRole('button', { name: text('copy.copy') }));
          await expectNoSidewaysScroll(page);
          await saveScreen(page, `home-room-ready-${tag}`);

          await goToRoom.click();
          await page.getByRole('heading', { level: 1, name: text('prejoin.title') }).waitFor();
          await page.getByRole('textbox', { name: text('prejoin.nameLabel') }).fill('Aino');
          const joinButton = page.getByRole('button', { name: text('prejoin.join'), exact: true });
          await expectBig(joinButton);
          await expectBig(page.getByRole('button', { name: text('controls.cameraOn') }));
          await expectNoSidewaysScroll(page);
          await saveScreen(page, `prejoin-${tag}`);

          await joinButton.click();
          await page.locator('[data-self]').waitFor();
          await page.getByText(text('call.alone')).waitFor();
          for (const key of ['controls.micOn', 'controls.cameraOn', 'controls.soundOnly', 'controls.leave'] as const) {
            const button = page.getByRole('button', { name: text(key), exact: true });
            await expectBig(button);
            await expectOnScreen(page, button);
          }
          await expectNoSidewaysScroll(page);
          await saveScreen(page, `call-alone-${tag}`, { fullPage: false });

          // Turning the camera off shows the initial instead of the picture, and says so.
          await page.getByRole('button', { name: text('controls.cameraOn'), exact: true }).click();
          await page.getByRole('button', { name: text('controls.cameraOff'), exact: true }).waitFor();
          expect(await page.locator('[data-self] video').isVisible()).toBe(false);
          expect(await page.locator('[data-self]').textContent()).toContain(text('call.cameraOff'));
          await saveScreen(page, `call-camera-off-${tag}`, { fullPage: false });

          await page.getByRole('button', { name: text('controls.leave'), exact: true }).click();
          await page.getByRole('heading', { level: 1, name: text('left.title') }).waitFor();
          await expectBig(page.getByRole('button', { name: text('left.joinAgain') }));
          await saveScreen(page, `left-${tag}`);

          expect(problems).toEqual([]);
        } finally {
          await opened.context.close();
        }
      });
    }
  }

  it('remembers the chosen language across pages, in the server-rendered page too', async () => {
    const { page, context, problems } = await openPage(browser, { locale: 'en-US' });
    try {
      await page.goto(`${t.url}/`);
      await page.getByRole('heading', { level: 1, name: catalogues.en['home.title'] }).waitFor();
      await page.getByRole('button', { name: 'Svenska' }).click();
      await page.getByRole('heading', { level: 1, name: catalogues.sv['home.title'] }).waitFor();
      expect(await page.getAttribute('html', 'lang')).toBe('sv');
      expect(await page.getByRole('button', { name: 'Svenska' }).getAttribute('aria-pressed')).toBe('true');

      const response = await page.reload();
      const html = await response!.text();
      expect(html).toContain('<html lang="sv"');
      expect(html).toContain(catalogues.sv['home.title']);
      await page.getByRole('heading', { level: 1, name: catalogues.sv['home.title'] }).waitFor();
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('tells a tab that speaks an older protocol to reload, before anyone types a name', async () => {
    const { page, context } = await openPage(browser, { locale: 'en-US', viewport: { width: 390, height: 844 } });
    try {
      // Rewrite the protocol version in Socket.IO's CONNECT packet, as an old open tab would send
      // it. The page speaks over a WebSocket, so the frame is rewritten on its way to the server.
      let rewritten = 0;
      await page.routeWebSocket('**/socket.io/**', (ws) => {
        const server = ws.connectToServer();
        ws.onMessage((message) => {
          if (typeof message === 'string' && message.includes('"protocolVersion"')) {
            rewritten++;
            server.send(message.replace(/"protocolVersion":\d+/, '"protocolVersion":0'));
          } else {
            server.send(message);
          }
        });
      });
      const created = await fetch(`${t.url}/api/rooms`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      const { path } = (await created.json()) as { path: string };
      await page.goto(`${t.url}${path}`);
      await page.getByRole('heading', { level: 1, name: catalogues.en['call.outdated'] }).waitFor();
      await page.getByRole('button', { name: catalogues.en['call.reload'] }).waitFor();
      expect(rewritten).toBeGreaterThan(0);
      expect(await page.getByRole('button', { name: catalogues.en['prejoin.join'], exact: true }).count()).toBe(0);
      await saveScreen(page, 'outdated-en-phone');
    } finally {
      await context.close();
    }
  });

  it('explains a room link that leads nowhere and offers the way home', async () => {
    const { page, context } = await openPage(browser, { locale: 'fi-FI', viewport: { width: 390, height: 844 } });
    try {
      await page.goto(`${t.url}/r/AAAAAAAAAAAAAAAAAAAAAA`);
      await page.getByRole('heading', { level: 1, name: catalogues.fi['error.notFoundTitle'] }).waitFor();
      const home = page.getByRole('link', { name: catalogues.fi['error.home'] });
      expect(await home.getAttribute('href')).toBe('/');
      await saveScreen(page, 'room-not-found-fi-phone');
    } finally {
      await context.close();
    }
  });
});
