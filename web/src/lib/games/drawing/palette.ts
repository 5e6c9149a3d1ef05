import type { BrushColour } from '@tupa/signaling/protocol';

// The paint of each brush colour, the same on every screen and in the saved picture. The board
// is white, so the eraser paints white over what is under it, in stroke order.

/** The board's own colour: the background and the eraser's paint. */
export const BOARD_WHITE = '#ffffff';

/** Each colour's paint (sRGB hex). Strong colours a child names at once. */
export const PAINT: Readonly<Record<BrushColour, string>> = {
  black: '#222222',
  red: '#e0262b',
  yellow: '#ffd21f',
  green: '#2e9e3e',
  blue: '#1f6fe0',
  purple: '#8b35c9',
  eraser: BOARD_WHITE,
};

/** The colours offered as paint, in the order of the buttons (the eraser is its own button). */
export const PAINT_COLOURS = ['black', 'red', 'yellow', 'green', 'blue', 'purple'] as const satisfies readonly BrushColour[];
export type PaintColour = (typeof PAINT_COLOURS)[number];
