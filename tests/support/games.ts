import type { Browser, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { translate, type Language } from '../../web/src/lib/i18n/languages.ts';
import { seriousAccessibilityProblems } from './axe.ts';
import { boxOf, type TestPage } from './browser.ts';
import { chooseLanguage } from './language.ts';
import { saveScreen } from './screens.ts';
import { boxesOf, controlProblems, faceProblems, inside, measureTiles, overlap, STAGE_SIZES, type StageSizeName } from './stageLayout.ts';

// Playing the children's games in Chromium: a page that taps (a phone) or clicks (a laptop),
// what each game shows read from the page (the attributes the boards carry: a cell's mark, a
// card's face and picture, the drawing board's canvas), what went over the wire (the Socket.IO
// frames each page sent and received: the only place a stroke's points can be read), and the
// game screen measured and looked at in every language and size.

/** A page in the call that plays: its size, whether it is touched, and its Socket.IO frames. */
export interface GamePage extends TestPage {
  /** Who is on it (their name in the call). */
  name: string;
  /** A phone is tapped with a finger; a laptop is clicked with a mouse. */
  touch: boolean;
  /** The size it is used at, to come back to after it has been looked at in other sizes. */
  size: { width: number; height: number };
  /** Every Socket.IO frame the page sent, as text, in order (over reloads too). */
  sent: string[];
  /** Every Socket.IO frame the page received, as text, in order. */
  received: string[];
}

/**
 * A fresh context and page at `size`, a phone with touch (hasTouch, isMobile) when `touch`:
 * console errors, uncaught exceptions and failed responses collected as browser.ts's openPage
 * does, and every WebSocket frame recorded.
 */
export async function openGamePage(browser: Browser, name: string, size: GamePage['size'], touch: boolean): Promise<GamePage> {
  const context = await browser.newContext({ locale: 'en-US', viewport: size, hasTouch: touch, isMobile: touch });
  const page = await context.newPage();
  const opened: GamePage = { page, context, name, touch, size, problems: [], failedResponses: [], sent: [], received: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') opened.problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => opened.problems.push(`uncaught: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) opened.failedResponses.push(`${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`);
  });
  page.on('websocket', (socket) => {
    socket.on('framesent', (frame) => opened.sent.push(String(frame.payload)));
    socket.on('framereceived', (frame) => opened.received.push(String(frame.payload)));
  });
  return opened;
}

/** A tap with a finger on a phone, a click with the mouse on a laptop. */
export async function press(player: GamePage, target: Locator): Promise<void> {
  if (player.touch) await target.tap();
  else await target.click();
}

/**
 * Reads `read` every 50 ms until it gives something other than null, for at most `timeoutMs`;
 * throws naming `what` when it never does. For values a test goes on with (expect.poll only says yes or no).
 */
export async function until<T>(what: string, read: () => Promise<T | null>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// --- what the boards show ----------------------------------------------------------------------

/** Noughts and crosses as the page shows it: each cell's mark ('cross', 'nought') or null, row by row. */
export async function noughtsCells(page: Page): Promise<(string | null)[]> {
  return (await page.evaluate(`[...document.querySelectorAll('[data-cell]')].map((cell) => cell.getAttribute('data-mark'))`)) as (string | null)[];
}

/** One memory card as the page shows it: its face, and the picture's file where it is face up or found. */
export interface ShownCard {
  face: string | null;
  picture: string | null;
}

/** The memory cards as the page shows them, in order. */
export async function memoryCards(page: Page): Promise<ShownCard[]> {
  return (await page.evaluate(`[...document.querySelectorAll('[data-card]')].map((card) => ({
    face: card.getAttribute('data-face'),
    picture: card.querySelector('img')?.getAttribute('src') ?? null,
  }))`)) as ShownCard[];
}

/** The version of the game the page shows (it rises with every change the server makes), or null: no game. */
export async function gameVersion(page: Page): Promise<number | null> {
  const version = await page.locator('section.game-stage').getAttribute('data-version', { timeout: 1000 }).catch(() => null);
  return version === null ? null : Number(version);
}

/** Whose turn the game's bar says it is ("Your turn", "Mummi's turn"), or null. */
export async function turnWords(page: Page): Promise<string | null> {
  const turn = page.locator('[data-turn]');
  return (await turn.count()) === 0 ? null : ((await turn.textContent())?.trim() ?? null);
}

/** The pairs each player's face says they found, by seat (index into the game's players). */
export async function pairsBySeat(page: Page): Promise<Record<number, number>> {
  return (await page.evaluate(`Object.fromEntries([...document.querySelectorAll('.mark[data-seat]')].map((mark) => [
    Number(mark.getAttribute('data-seat')),
    Number(/\\d+/.exec(mark.querySelector('.pairs')?.textContent ?? '')?.[0] ?? NaN),
  ]))`)) as Record<number, number>;
}

// --- the wire ----------------------------------------------------------------------------------

/** The payloads of every Socket.IO event `name` among `frames` ("42" + an ack id + [name, payload]). */
export function socketEvents<T>(frames: readonly string[], name: string): T[] {
  const payloads: T[] = [];
  for (const frame of frames) {
    const packet = /^42\d*(\[[\s\S]*\])$/.exec(frame);
    if (!packet) continue;
    const [event, payload] = JSON.parse(packet[1]!) as [string, T];
    if (event === name) payloads.push(payload);
  }
  return payloads;
}

/** A whole stroke as points [x0, y0, x1, y1, ...] in board units (0..1000). */
export interface WholeStroke {
  points: number[];
}

/** The one stroke a page began among `frames` it sent, once its finger is lifted: the points it sent, in order. */
export function strokeSent(frames: readonly string[]): WholeStroke | null {
  const [start, ...more] = socketEvents<{ key: number; points: number[] }>(frames, 'startStroke');
  if (!start || more.length > 0) return null;
  const extends_ = socketEvents<{ key: number; points: number[]; done: boolean }>(frames, 'extendStroke').filter((e) => e.key === start.key);
  if (!extends_.some((e) => e.done)) return null;
  return { points: [...start.points, ...extends_.flatMap((e) => e.points)] };
}

/** The one stroke someone else drew among `frames` a page received, once it is done: the points the server sent on. */
export function strokeReceived(frames: readonly string[]): WholeStroke | null {
  const [start, ...more] = socketEvents<{ stroke: { strokeId: number; points: number[]; done: boolean } }>(frames, 'strokeStarted');
  if (!start || more.length > 0) return null;
  const extends_ = socketEvents<{ strokeId: number; points: number[]; done: boolean }>(frames, 'strokeExtended').filter(
    (e) => e.strokeId === start.stroke.strokeId,
  );
  if (!start.stroke.done && !extends_.some((e) => e.done)) return null;
  return { points: [...start.stroke.points, ...extends_.flatMap((e) => e.points)] };
}

// --- the drawing board -------------------------------------------------------------------------

/** The board's canvas in 50 x 50 cells: 1 where at least 15 % of a cell's pixels are not white. */
export async function inkMap(page: Page): Promise<number[]> {
  return (await page.evaluate(`(() => {
    const canvas = document.querySelector('canvas[data-drawing-board]');
    if (!canvas || canvas.width === 0) return [];
    const size = canvas.width;
    const data = canvas.getContext('2d').getImageData(0, 0, size, size).data;
    const ink = new Array(2500).fill(0);
    const all = new Array(2500).fill(0);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const cell = Math.floor((y * 50) / size) * 50 + Math.floor((x * 50) / size);
        const index = (y * size + x) * 4;
        all[cell]++;
        if (data[index] + data[index + 1] + data[index + 2] < 700) ink[cell]++;
      }
    }
    return ink.map((count, cell) => (count >= 0.15 * all[cell] ? 1 : 0));
  })()`)) as number[];
}

export const inked = (map: readonly number[]): number => map.reduce((sum, cell) => sum + cell, 0);
/** Two canvases of different sizes shade a line's edge differently: the same picture may differ in a few edge cells. */
export const alike = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.filter((cell, index) => cell !== b[index]).length <= Math.max(10, 0.12 * inked(b));

/** A path in board units (0..1000 across and down). */
export type BoardPath = [number, number][];

async function onBoard(page: Page): Promise<(point: [number, number]) => { x: number; y: number }> {
  const box = await boxOf(page.locator('canvas[data-drawing-board]'));
  return ([x, y]) => ({ x: box.x + (x / 1000) * box.width, y: box.y + (y / 1000) * box.height });
}

/** Draws `path` with the mouse, button held down. */
export async function drawWithMouse(page: Page, path: BoardPath): Promise<void> {
  const at = await onBoard(page);
  await page.mouse.move(at(path[0]!).x, at(path[0]!).y);
  await page.mouse.down();
  for (const point of path.slice(1)) await page.mouse.move(at(point).x, at(point).y, { steps: 3 });
  await page.mouse.up();
}

/** Draws `path` with one finger, through the browser's own touch input (the DevTools protocol). */
export async function drawWithFinger(page: Page, path: BoardPath): Promise<void> {
  const at = await onBoard(page);
  const cdp = await page.context().newCDPSession(page);
  const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', point: [number, number] | null) =>
    cdp.send('Input.dispatchTouchEvent', { type, touchPoints: point ? [{ ...at(point), id: 1 }] : [] });
  await touch('touchStart', path[0]!);
  for (const point of path.slice(1)) await touch('touchMove', point);
  await touch('touchEnd', null);
  await cdp.detach();
}

// --- the screen --------------------------------------------------------------------------------

/**
 * What is wrong with the game screen as it is now, in words ([] when nothing): the board (the
 * drawing board's square, else the game's board) and both faces as stageLayout.ts's
 * faceProblems says; the bar's words and its "Stop" button, and the drawing tools, on the screen
 * clear of the board, the faces and each other; every cell and card wholly on the board, and
 * the end screen's card and buttons wholly on the game's stage, clear of the faces.
 */
export async function gameLayoutProblems(page: Page, lang: Language, size: StageSizeName): Promise<string[]> {
  const callBar = await boxOf(page.getByRole('group', { name: translate(lang, 'controls.label') }));
  const drawing = (await page.locator('canvas[data-drawing-board]').count()) > 0;
  const sheet = await boxOf(page.locator(drawing ? 'section.game-stage .sheet:has(canvas[data-drawing-board])' : 'section.game-stage .board'));
  const tiles = await measureTiles(page);
  const named = (what: string) => (boxes: { x: number; y: number; width: number; height: number }[]) => boxes.map((box) => ({ what, box }));
  const buttons = [
    ...named('the stop button')(await boxesOf(page, 'section.game-stage [data-stop-game]')),
    ...named('a drawing tool')(await boxesOf(page, 'section.game-stage .tools button')),
  ];
  const others = [
    ...named('the game’s name')(await boxesOf(page, 'section.game-stage header h2')),
    ...named('whose turn')(await boxesOf(page, 'section.game-stage [data-turn]')),
  ];
  const problems = [...faceProblems(size, callBar, sheet, tiles), ...controlProblems(size, callBar, sheet, tiles, buttons, others)];
  for (const [what, selector] of [
    ['a cell', '[data-cell]'],
    ['a card', '[data-card]'],
  ] as const) {
    for (const box of await boxesOf(page, selector)) if (!inside(box, sheet)) problems.push(`${what} is not wholly on the board`);
  }
  // The end screen comes over the whole game stage (board and bar): its card and buttons lie
  // wholly in it, clear of the faces and the call bar.
  const stage = await boxOf(page.locator('section.game-stage'));
  for (const [what, selector] of [
    ['the end screen', '[data-game-over] .card-over'],
    ['an end-screen button', '[data-game-over] button'],
  ] as const) {
    for (const box of await boxesOf(page, selector)) {
      if (!inside(box, stage)) problems.push(`${what} is not wholly on the game's stage`);
      if (overlap(box, callBar) || tiles.some((tile) => overlap(box, tile.box))) problems.push(`${what} covers a face or the call bar`);
    }
  }
  if (tiles.length !== 2) problems.push(`${tiles.length} faces instead of 2`);
  return problems;
}

/** How many animations and transitions on the page are running that will end (a looping one never does). */
export async function moving(page: Page): Promise<number> {
  return (await page.evaluate(
    `document.getAnimations().filter((a) => a.playState === 'running' && a.effect?.getComputedTiming().iterations !== Infinity).length`,
  )) as number;
}

/**
 * Looks at the game screen the page shows in each of `languages` (Finnish, Swedish, English,
 * ending in English) at each of `sizes` (STAGE_SIZES' names; all three unless told): the layout settles without problems (gameLayoutProblems, polled up to 10 s), axe
 * finds nothing serious, and it is saved as `<name>-<lang>-<width>x<height>.png` (before the
 * checks, so a failure can be seen). Ends in English at the page's own size.
 */
export async function lookAtGame(
  player: GamePage,
  name: string,
  { languages = ['fi', 'sv', 'en'], sizes = ['phone', 'phone-landscape', 'desktop'] }: { languages?: readonly Language[]; sizes?: readonly StageSizeName[] } = {},
): Promise<void> {
  const { page } = player;
  for (const lang of languages) {
    await chooseLanguage(page, lang);
    for (const size of sizes) {
      const { width, height } = STAGE_SIZES[size];
      await page.setViewportSize({ width, height });
      // Measured until the layout has settled; a screen that never settles is reported and the
      // others are still looked at (soft assertions), so one run names every screen that is wrong.
      // The end screen fades in and cards turn: axe would measure a half-faded button's contrast.
      await until('the screen still', async () => ((await moving(page)) === 0 ? true : null)).catch(() => {});
      let problems: string[] = [];
      const measure = () => gameLayoutProblems(page, lang, size).catch((error: Error) => [`not measured: ${error.message.split('\n')[0]}`]);
      await until('a settled layout', async () => ((problems = await measure()).length === 0 ? true : null)).catch(() => {});
      await saveScreen(page, `${name}-${lang}-${width}x${height}`, { fullPage: false });
      expect.soft(problems, `layout of ${name} in ${lang} at ${width}x${height}`).toEqual([]);
      expect.soft(await seriousAccessibilityProblems(page), `axe on ${name} in ${lang} at ${width}x${height}`).toEqual([]);
    }
  }
  await page.setViewportSize(player.size);
}
