import type { Page } from 'playwright-core';
import { SCREEN_WIDTHS } from './screens.ts';

// Measuring a call screen where something shared (a book page, a game board) sits beside the
// faces: the boxes of what is on screen, and what is wrong with how they lie, in words, so a
// failing test says what a person would see.

/** A phone held upright, a phone on its side, a laptop. */
export const STAGE_SIZES = {
  phone: SCREEN_WIDTHS.phone,
  'phone-landscape': { width: 844, height: 390 },
  desktop: SCREEN_WIDTHS.desktop,
} as const;
export type StageSizeName = keyof typeof STAGE_SIZES;

/** A rectangle on the screen in CSS pixels. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One face as the screen shows it: its tile, and whether its name is shown whole. */
export interface MeasuredTile {
  name: string;
  self: boolean;
  box: Box;
  nameBox: Box | null;
  nameCut: boolean;
}

/** Every tile's box and name, measured inside the page. */
const MEASURE_TILES = `[...document.querySelectorAll('figure[data-peer-id], figure[data-self]')].map((figure) => {
  const box = figure.getBoundingClientRect();
  const name = figure.querySelector('figcaption .name');
  const nameBox = name ? name.getBoundingClientRect() : null;
  const plain = (r) => ({ x: r.x, y: r.y, width: r.width, height: r.height });
  return {
    name: name ? name.textContent.trim() : '',
    self: figure.hasAttribute('data-self'),
    box: plain(box),
    nameBox: nameBox ? plain(nameBox) : null,
    nameCut: !name || name.scrollHeight > name.clientHeight + 1 || name.scrollWidth > name.clientWidth + 1,
  };
})`;

/** Every face on the page: its tile's box, its name and whether the name is cut. */
export async function measureTiles(page: Page): Promise<MeasuredTile[]> {
  return (await page.evaluate(MEASURE_TILES)) as MeasuredTile[];
}

/** Whether `inner` lies wholly in `outer` (half a pixel of rounding allowed). */
export const inside = (inner: Box, outer: Box): boolean =>
  inner.x >= outer.x - 0.5 &&
  inner.y >= outer.y - 0.5 &&
  inner.x + inner.width <= outer.x + outer.width + 0.5 &&
  inner.y + inner.height <= outer.y + outer.height + 0.5;

/** Whether two boxes overlap by more than half a pixel of rounding. */
export const overlap = (a: Box, b: Box): boolean =>
  a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5;

/** The boxes of the elements `selector` finds that are laid out. */
export async function boxesOf(page: Page, selector: string): Promise<Box[]> {
  return (await page.evaluate(
    `[...document.querySelectorAll(${JSON.stringify(selector)})].map((e) => e.getBoundingClientRect()).filter((r) => r.width > 0).map((r) => ({ x: r.x, y: r.y, width: r.width, height: r.height }))`,
  )) as Box[];
}

/**
 * What is wrong with the faces beside a shared thing (`sheet`: the page or the board) on a
 * screen of `size`, in words ([] when nothing): the call bar, the sheet and every tile lie wholly
 * on the screen, neither the sheet nor a tile runs under the call bar, no tile covers the sheet
 * or another tile, every name is shown whole, and on a phone everyone besides oneself gets a tile
 * at least 28 % of the screen's short edge each way (about a third: big enough to see a face).
 */
export function faceProblems(size: StageSizeName, callBar: Box, sheet: Box, tiles: readonly MeasuredTile[]): string[] {
  const { width, height } = STAGE_SIZES[size];
  const screen = { x: 0, y: 0, width, height };
  const problems: string[] = [];
  if (!inside(callBar, screen)) problems.push('the call bar is not wholly on the screen');
  if (!inside(sheet, screen)) problems.push('the shared page or board is not wholly on the screen');
  if (overlap(sheet, callBar)) problems.push('the shared page or board runs under the call bar');
  if (sheet.height < 100) problems.push(`the shared page or board is only ${Math.round(sheet.height)} px high`);
  for (const tile of tiles) {
    if (!inside(tile.box, screen)) problems.push(`${tile.name}: tile not wholly on the screen`);
    if (overlap(tile.box, callBar)) problems.push(`${tile.name}: tile runs under the call bar`);
    if (overlap(tile.box, sheet)) problems.push(`${tile.name}: tile covers the shared page or board`);
    if (tile.nameCut || !tile.nameBox || !inside(tile.nameBox, tile.box)) problems.push(`${tile.name}: name not shown whole`);
    const short = Math.min(width, height);
    if (size !== 'desktop' && !tile.self && Math.min(tile.box.width, tile.box.height) < 0.28 * short) {
      problems.push(`${tile.name}: tile ${Math.round(tile.box.width)} x ${Math.round(tile.box.height)} px, small for a face`);
    }
  }
  for (const [index, tile] of tiles.entries()) {
    for (const other of tiles.slice(index + 1)) {
      if (overlap(tile.box, other.box)) problems.push(`${tile.name} and ${other.name}: tiles overlap`);
    }
  }
  return problems;
}

/**
 * What is wrong with controls beside the sheet: each lies on the screen, clear of the call bar,
 * the sheet and every face; the buttons among them clear of each other.
 */
export function controlProblems(
  size: StageSizeName,
  callBar: Box,
  sheet: Box,
  tiles: readonly MeasuredTile[],
  buttons: readonly { what: string; box: Box }[],
  others: readonly { what: string; box: Box }[] = [],
): string[] {
  const { width, height } = STAGE_SIZES[size];
  const screen = { x: 0, y: 0, width, height };
  const problems: string[] = [];
  for (const { what, box } of [...buttons, ...others]) {
    if (!inside(box, screen) || overlap(box, callBar)) problems.push(`${what} is off the screen or under the call bar`);
    if (overlap(box, sheet)) problems.push(`${what} covers the shared page or board`);
    for (const tile of tiles) if (overlap(box, tile.box)) problems.push(`${what} covers ${tile.name}`);
  }
  for (const [index, { what, box }] of buttons.entries()) {
    for (const other of buttons.slice(index + 1)) if (overlap(box, other.box)) problems.push(`${what} and ${other.what} overlap`);
  }
  return problems;
}
