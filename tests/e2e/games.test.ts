import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate, type MessageKey } from '../../web/src/lib/i18n/languages.ts';
import { seriousAccessibilityProblems } from '../support/axe.ts';
import { boxOf, joinFromPreJoin as join, launchChromium, ownPeerId } from '../support/browser.ts';
import { lookInEveryLanguageAndSize } from '../support/everyScreen.ts';
import {
  alike,
  drawWithFinger,
  drawWithMouse,
  gameLayoutProblems,
  gameVersion,
  inked,
  inkMap,
  lookAtGame,
  memoryCards,
  noughtsCells,
  openGamePage,
  pairsBySeat,
  press,
  strokeReceived,
  strokeSent,
  turnWords,
  until,
  type BoardPath,
  type GamePage,
  type ShownCard,
} from '../support/games.ts';
import { saveScreen } from '../support/screens.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { STAGE_SIZES } from '../support/stageLayout.ts';

// The children's games in two real browsers: Aino on a phone (tapped with a finger) and Mummi
// on a laptop (clicked), in a room made from the start page, where anyone may start a game.
// Noughts and crosses to a win and a rematch, a reload in the middle of a game, memory played
// to the end by a child with a perfect memory, a stroke on the drawing board that arrives on the
// other screen with the same points; each game screen measured, checked with axe and saved in
// Finnish, Swedish and English on a phone upright, on its side and on a laptop.

let t: TestServer;
let browser: Browser;
let roomId: string;
let phone: GamePage;
let laptop: GamePage;

/**
 * The phone itself (touch, a mobile viewport) is looked at upright and on its side, in English;
 * every size in every language is looked at on the laptop's page, resized: a mobile page
 * emulated at laptop size keeps its zoom and shows a cut piece of the screen.
 */
const ONE_PHONE = { languages: ['en'], sizes: ['phone', 'phone-landscape'] } as const;

const say = (key: MessageKey, params?: Record<string, string>) => translate('en', key, params);

beforeAll(async () => {
  // A reloaded tab takes its place back within the reconnect grace period (none by default in tests).
  [t, browser] = await Promise.all([startTestServer({ env: { RECONNECT_GRACE_SECONDS: '20' } }), launchChromium()]);
  const created = await fetch(`${t.url}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  roomId = ((await created.json()) as { roomId: string }).roomId;
  phone = await openGamePage(browser, 'Aino', STAGE_SIZES.phone, true);
  laptop = await openGamePage(browser, 'Mummi', STAGE_SIZES.desktop, false);
  for (const player of [laptop, phone]) {
    await player.page.goto(`${t.url}/r/${roomId}`);
    await join(player.page, player.name);
  }
  for (const player of [laptop, phone]) await player.page.locator('figure[data-peer-id]').waitFor({ timeout: 15_000 });
});

afterAll(async () => {
  for (const player of [phone, laptop]) await player?.context.close().catch(() => {});
  await browser?.close();
  await t?.stop();
});

/** Both pages show `cells` (marks by cell, row by row). */
async function bothShowCells(cells: (string | null)[]): Promise<void> {
  for (const player of [phone, laptop]) await expect.poll(() => noughtsCells(player.page)).toEqual(cells);
}

/**
 * The server has answered `player`'s last tap: the cell or card no longer looks pressed. (Its
 * news to everyone may arrive before its answer, and a tap while one is unanswered does nothing.)
 */
async function answered(player: GamePage): Promise<void> {
  await expect.poll(() => player.page.locator('[data-cell].pressed, [data-card].pressed').count()).toBe(0);
}

/** `player` puts their mark in `cell`; both pages then show `cells`. */
async function mark(player: GamePage, cell: number, cells: (string | null)[]): Promise<void> {
  await press(player, player.page.locator(`[data-cell="${cell}"]`));
  await bothShowCells(cells);
  await answered(player);
}

/**
 * `player` taps `cell` out of turn: the server refuses it (the note says whose turn it is, which
 * only the server's refusal brings), and neither page's board nor game version changes.
 */
async function outOfTurn(player: GamePage, cell: number, whoseTurn: string): Promise<void> {
  const before = { cells: await noughtsCells(laptop.page), phone: await gameVersion(phone.page), laptop: await gameVersion(laptop.page) };
  await press(player, player.page.locator(`[data-cell="${cell}"]`));
  const note = player.page.locator('section.game-stage .note');
  await expect.poll(async () => (await note.count()) > 0 && (await note.locator('p').textContent())).toBe(say('games.note.notYourTurn', { name: whoseTurn }));
  expect({ phone: await gameVersion(phone.page), laptop: await gameVersion(laptop.page) }).toEqual({ phone: before.phone, laptop: before.laptop });
  await bothShowCells(before.cells);
  // The note lies over the board's top: it is put away before the game goes on.
  await press(player, note.getByRole('button', { name: say('games.ok') }));
  await expect.poll(() => note.count()).toBe(0);
}

/**
 * Reloads `player`'s page: it comes straight back to its place in the call (Room.svelte: a
 * reload takes the place back without the pre-join), with the same peer id.
 */
async function reloadAndReturn(player: GamePage): Promise<void> {
  const peerId = await ownPeerId(player.page, roomId);
  await player.page.reload();
  // The server's page is the pre-join until the app starts and sees the reload: the call is waited for.
  const back = await until('the reloaded page back in the call', async () => ((await player.page.locator('figure[data-peer-id]').count()) > 0 ? true : null), 20_000).catch(
    () => false,
  );
  if (!back) await saveScreen(player.page, `games-reload-${player.name}`, { fullPage: false });
  expect(back, 'the reloaded page came back to the call by itself').toBe(true);
  expect(await ownPeerId(player.page, roomId)).toBe(peerId);
}

/** Stops the game from the laptop (saying yes if asked); both pages go back to the call, where a game can be started. */
async function stopGame(): Promise<void> {
  // The game's bar has "Stop game"; once it is over, the end screen has "Stop playing".
  await laptop.page.locator('[data-stop-game], [data-stop-playing]').click();
  // It ends everyone's game: the screen may ask once first.
  const stage = laptop.page.locator('section.game-stage');
  const yes = laptop.page.locator('dialog[open].stop-game-confirm button.danger');
  const asked = await until('the game stopped, or the question', async () => ((await yes.count()) > 0 ? true : (await stage.count()) === 0 ? false : null));
  if (asked) await yes.click();
  for (const player of [phone, laptop]) await expect.poll(() => player.page.locator('section.game-stage').count()).toBe(0);
  await laptop.page.locator('[data-play-game]').waitFor();
}

describe('the children’s games in Chromium, on a phone and a laptop', () => {
  it('plays noughts and crosses from the picker to a win, with a line and an end screen, and a rematch in one tap', async () => {
    // The picker: three big picture buttons, on the phone.
    const picker = phone.page.locator('dialog.picker');
    const openPicker = async () => {
      await press(phone, phone.page.locator('[data-play-game]'));
      await picker.locator('[data-game-choice]').first().waitFor();
    };
    await openPicker();
    const choices = picker.locator('[data-game-choice]');
    expect(await choices.count()).toBe(3);
    for (const choice of await choices.all()) {
      const box = await boxOf(choice);
      expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(64);
      expect(await choice.locator('svg.picture').count()).toBe(1);
    }
    await lookInEveryLanguageAndSize(phone.page, 'games-picker', {
      fullPage: false,
      close: async () => {
        if (await picker.isVisible()) await phone.page.keyboard.press('Escape');
        await picker.waitFor({ state: 'hidden' });
      },
      open: openPicker,
    });
    await phone.page.setViewportSize(phone.size);
    // Two in the call: one tap starts it, the other one (Mummi) with the cross, who begins.
    await press(phone, picker.locator('[data-game-choice="noughts-and-crosses"]'));
    const empty = Array<string | null>(9).fill(null);
    await bothShowCells(empty);
    await expect.poll(() => turnWords(laptop.page)).toBe(say('games.yourTurn'));
    await expect.poll(() => turnWords(phone.page)).toBe(say('games.turnOf', { name: 'Mummi' }));

    // Aino taps before her turn: nothing changes. Then the game, each move on both screens.
    await outOfTurn(phone, 3, 'Mummi');
    const cells = [...empty];
    const play = async (player: GamePage, cell: number) => {
      cells[cell] = player === laptop ? 'cross' : 'nought';
      await mark(player, cell, [...cells]);
    };
    await play(laptop, 0);
    await outOfTurn(laptop, 8, 'Aino');
    await play(phone, 4);
    await play(laptop, 1);
    await play(phone, 8);
    await play(laptop, 2);

    // Three crosses in the top row: a line drawn across them, and the end screen on both pages.
    for (const player of [phone, laptop]) {
      // A straight line across has no height of its own (its stroke has): its picture is measured.
      await player.page.locator('svg.line').waitFor();
      const line = player.page.locator('svg.line line').first();
      const [x1, y1, x2, y2] = await Promise.all(['x1', 'y1', 'x2', 'y2'].map(async (end) => Number(await line.getAttribute(end))));
      // In the board's 3 x 3 units: from the first cell of the top row to its last.
      expect({ fromLeft: x1! < 0.5, toRight: x2! > 2.5, topRow: Math.abs(y1! - 0.5) < 0.01 && Math.abs(y2! - 0.5) < 0.01 }).toEqual({
        fromLeft: true,
        toRight: true,
        topRow: true,
      });
      expect(await player.page.locator('.cell.won').evaluateAll((won) => won.map((cell) => cell.getAttribute('data-cell')))).toEqual(['0', '1', '2']);
    }
    await expect.poll(() => laptop.page.locator('[data-game-over] .result').textContent()).toBe(say('games.youWon'));
    await expect.poll(() => phone.page.locator('[data-game-over] .result').textContent()).toBe(say('games.won', { name: 'Mummi' }));
    await lookAtGame(laptop, 'games-noughts-over');
    await lookAtGame(phone, 'games-noughts-over-touch', ONE_PHONE);

    // One tap on "Play again" (Aino's): a new board, and the other one (Aino, the nought) begins.
    const before = await phone.page.locator('section.game-stage').getAttribute('data-version');
    await press(phone, phone.page.locator('[data-play-again]'));
    for (const player of [phone, laptop]) await expect.poll(() => player.page.locator('[data-game-over]').count()).toBe(0);
    await bothShowCells(empty);
    expect(await phone.page.locator('section.game-stage').getAttribute('data-version')).not.toBe(before);
    await expect.poll(() => turnWords(phone.page)).toBe(say('games.yourTurn'));
    await outOfTurn(laptop, 4, 'Aino');
    await mark(phone, 4, [null, null, null, null, 'nought', null, null, null, null]);
  });

  it('shows the same noughts-and-crosses board after a reload in the middle of a game, and the reloaded player plays on', async () => {
    const cells: (string | null)[] = [null, null, null, null, 'nought', null, null, null, null];
    cells[0] = 'cross';
    await mark(laptop, 0, [...cells]);
    cells[8] = 'nought';
    await mark(phone, 8, [...cells]);
    // Mummi's turn: Aino's phone reloads, joins again, and shows the same marks in the same cells.
    await reloadAndReturn(phone);
    await expect.poll(() => noughtsCells(phone.page)).toEqual(cells);
    await expect.poll(() => turnWords(phone.page)).toBe(say('games.turnOf', { name: 'Mummi' }));
    cells[2] = 'cross';
    await mark(laptop, 2, [...cells]);
    // Aino still has her seat: her tap puts a nought on both screens.
    cells[6] = 'nought';
    await mark(phone, 6, [...cells]);
    await lookAtGame(laptop, 'games-noughts');
    await lookAtGame(phone, 'games-noughts-touch', ONE_PHONE);
    await stopGame();
  });

  it('plays memory with 8 cards to the end, as a child with a perfect memory would, and comes back the same after a reload', async () => {
    await laptop.page.locator('[data-play-game]').click();
    const picker = laptop.page.locator('dialog.picker');
    await picker.locator('[data-game-choice="memory"]').click();
    // Both are chosen already (up to four play); 8 cards.
    expect(await picker.locator('[data-player][aria-pressed="true"]').count()).toBe(2);
    await picker.locator('[data-cards="8"]').click();
    await picker.locator('[data-start-game]').click();
    for (const player of [phone, laptop]) await expect.poll(() => player.page.locator('[data-card][data-face="down"]').count()).toBe(8);

    /** What the test has seen: the picture on each card it saw face up. */
    const seen = new Map<number, string>();
    const found = new Set<number>();
    const pairs = new Map<GamePage, number>([
      [phone, 0],
      [laptop, 0],
    ]);
    let reloaded = false;
    let looked = false;

    /** `player` turns `card`; both pages show it face up (or found) with the same picture, which is learnt. */
    const turn = async (player: GamePage, card: number): Promise<string> => {
      await press(player, player.page.locator(`[data-card="${card}"]`));
      const shown = (page: GamePage) =>
        until(`card ${card} face up on ${page.name}’s screen`, async () => {
          const { face, picture } = (await memoryCards(page.page))[card]!;
          return face !== 'down' && picture ? picture : null;
        });
      const [onPhone, onLaptop] = await Promise.all([shown(phone), shown(laptop)]);
      expect(onPhone).toBe(onLaptop);
      await answered(player);
      seen.set(card, onLaptop);
      return onLaptop;
    };
    const partnerOf = (card: number) => [...seen].find(([other, picture]) => other !== card && !found.has(other) && picture === seen.get(card))?.[0];
    const unknown = () => [...Array(8).keys()].find((card) => !seen.has(card) && !found.has(card));

    while (found.size < 8) {
      const player = await until('someone’s turn', async () => {
        for (const candidate of [phone, laptop]) if ((await turnWords(candidate.page)) === say('games.yourTurn')) return candidate;
        return null;
      });
      const knownPair = [...seen.keys()].find((card) => !found.has(card) && partnerOf(card) !== undefined);
      const first = knownPair ?? unknown()!;
      await turn(player, first);
      // Should the child never miss, the phone reloads while one card is up near the end instead.
      if (!reloaded && found.size >= 6) {
        reloaded = true;
        const shown = await memoryCards(laptop.page);
        await reloadAndReturn(phone);
        await expect.poll(() => memoryCards(phone.page)).toEqual(shown);
      }
      // The screens while a card is up and pairs have been found (nothing changes until the next tap).
      if (!looked && found.size >= 2) {
        looked = true;
        await lookAtGame(laptop, 'games-memory');
        await lookAtGame(phone, 'games-memory-touch', ONE_PHONE);
      }
      const second = partnerOf(first) ?? unknown()!;
      await turn(player, second);
      if (seen.get(first) === seen.get(second)) {
        found.add(first).add(second);
        pairs.set(player, pairs.get(player)! + 1);
        for (const side of [phone, laptop]) {
          await expect.poll(async () => (await memoryCards(side.page)).filter((card) => card.face === 'matched').length).toBe(found.size);
        }
        continue;
      }
      // A miss: both cards are shown, then turn back on both screens by themselves.
      const turnedBack = (cards: ShownCard[]) => cards.map((card, index) => (index === first || index === second ? { face: 'down', picture: null } : card));
      if (!reloaded) {
        // Aino's phone reloads while the two cards are shown, and comes back to the same table.
        reloaded = true;
        const shown = await memoryCards(laptop.page);
        await reloadAndReturn(phone);
        await expect.poll(() => memoryCards(phone.page)).toEqual(turnedBack(shown));
        await expect.poll(() => memoryCards(laptop.page)).toEqual(turnedBack(shown));
      }
      for (const side of [phone, laptop]) {
        await expect.poll(async () => (await memoryCards(side.page)).filter((_, index) => index === first || index === second).map((card) => card.face)).toEqual(['down', 'down']);
      }
    }

    // The end screen on both; the pairs on the faces add up to 4, each player's as counted here.
    for (const side of [phone, laptop]) await side.page.locator('[data-game-over]').waitFor();
    const expected = { 0: pairs.get(laptop), 1: pairs.get(phone) };
    for (const side of [phone, laptop]) await expect.poll(() => pairsBySeat(side.page)).toEqual(expected);
    expect(pairs.get(laptop)! + pairs.get(phone)!).toBe(4);
    expect({ looked, reloaded }).toEqual({ looked: true, reloaded: true });
    expect(await seriousAccessibilityProblems(phone.page)).toEqual([]);
    await expect.poll(() => gameLayoutProblems(phone.page, 'en', 'phone')).toEqual([]);
    await stopGame();
  });

  it('shows a stroke drawn on one screen on the other with the same points', async () => {
    await laptop.page.locator('[data-play-game]').click();
    await laptop.page.locator('dialog.picker [data-game-choice="drawing"]').click();
    for (const player of [phone, laptop]) await player.page.locator('canvas[data-drawing-board]').waitFor({ timeout: 10_000 });
    for (const player of [phone, laptop]) await expect.poll(async () => inked(await inkMap(player.page))).toBe(0);

    // The points a stroke is made of are not in the page: they are what the drawer's page sent
    // and what the server passed on to the other page. Equal lists on the wire, and canvases that
    // look alike, show that both screens hold and paint the same points.
    const drawn = async (drawer: GamePage, watcher: GamePage, path: BoardPath, draw: (path: BoardPath) => Promise<void>) => {
      const from = { sent: drawer.sent.length, received: watcher.received.length };
      await draw(path);
      const sent = await until(`${drawer.name}’s stroke sent whole`, async () => strokeSent(drawer.sent.slice(from.sent)));
      const received = await until(`${drawer.name}’s stroke on ${watcher.name}’s screen`, async () => strokeReceived(watcher.received.slice(from.received)));
      expect(received.points).toEqual(sent.points);
      // The points are where the finger or mouse went (board units, 0..1000).
      expect(Math.abs(sent.points[0]! - path[0]![0]) + Math.abs(sent.points[1]! - path[0]![1])).toBeLessThan(20);
      expect(sent.points.length).toBeGreaterThanOrEqual(2 * 10);
      await expect.poll(async () => alike(await inkMap(watcher.page), await inkMap(drawer.page))).toBe(true);
    };
    const wave: BoardPath = Array.from({ length: 24 }, (_, i) => [100 + i * 33, 300 + Math.round(120 * Math.sin(i / 3))]);
    await drawn(phone, laptop, wave, (path) => drawWithFinger(phone.page, path));
    expect(inked(await inkMap(laptop.page))).toBeGreaterThan(20);
    const ring: BoardPath = Array.from({ length: 30 }, (_, i) => [500 + Math.round(200 * Math.cos(i / 4.5)), 650 + Math.round(200 * Math.sin(i / 4.5))]);
    const afterWave = inked(await inkMap(phone.page));
    await drawn(laptop, phone, ring, (path) => drawWithMouse(laptop.page, path));
    expect(inked(await inkMap(phone.page))).toBeGreaterThan(afterWave + 20);

    await lookAtGame(laptop, 'games-drawing');
    await lookAtGame(phone, 'games-drawing-touch', ONE_PHONE);
    await stopGame();
    for (const player of [phone, laptop]) {
      expect(player.problems.filter((problem) => !/favicon/.test(problem))).toEqual([]);
      expect(player.failedResponses).toEqual([]);
    }
  });
});
