import { BOARD_UNITS } from '@tupa/signaling/protocol';
import type { BoardStroke } from './boardStrokes.ts';
import { BOARD_WHITE, PAINT } from './palette.ts';
import { outlinePath, strokeOutline } from './strokeOutline.ts';

// Paints the board on a <canvas>. A canvas rather than SVG: a full board is up to a thousand
// filled outlines of hundreds of points each, which as SVG paths is a heavy DOM to restyle on
// every finger move; on a canvas the finished strokes are painted once into a cache and each
// frame only copies it and paints the strokes still being drawn. The same code paints the
// saved PNG, so it looks like the screen.

interface Cached {
  stroke: BoardStroke;
  revision: number;
}

/** A stroke's outline as a Path2D in board units, remembered until the stroke changes. */
const paths = new WeakMap<BoardStroke, { revision: number; path: Path2D | null }>();

function pathOf(stroke: BoardStroke): Path2D | null {
  const known = paths.get(stroke);
  if (known && known.revision === stroke.revision) return known.path;
  const svg = outlinePath(strokeOutline(stroke.points, stroke.size, stroke.done));
  const path = svg ? new Path2D(svg) : null;
  paths.set(stroke, { revision: stroke.revision, path });
  return path;
}

/** Paints one stroke on a context already scaled to board units. */
function paintStroke(context: CanvasRenderingContext2D, stroke: BoardStroke): void {
  const path = pathOf(stroke);
  if (!path) return;
  context.fillStyle = PAINT[stroke.colour];
  context.fill(path);
}

/** Fills `context`'s canvas with the board's white and scales it to board units. */
function blank(context: CanvasRenderingContext2D, pixels: number): void {
  context.setTransform(1, 0, 0, 1, 0, 0);
  context.fillStyle = BOARD_WHITE;
  context.fillRect(0, 0, pixels, pixels);
  const scale = pixels / BOARD_UNITS;
  context.setTransform(scale, 0, 0, scale, 0, 0);
}

function context2d(canvas: HTMLCanvasElement): CanvasRenderingContext2D {
  const context = canvas.getContext('2d');
  if (!context) throw new Error('the browser gave no 2D canvas context');
  return context;
}

/**
 * Paints strokes on one visible canvas. The longest run of finished strokes from the first is
 * kept in an offscreen cache (added to as strokes finish, repainted only when one of them
 * changes or goes: an undo, a clear); the rest, from the first stroke still being drawn, is
 * painted over it each frame, so later strokes (and the eraser) stay on top in the right order.
 */
export class BoardPainter {
  readonly #canvas: HTMLCanvasElement;
  readonly #cache: HTMLCanvasElement;
  #cached: Cached[] = [];
  #pixels = 0;

  constructor(canvas: HTMLCanvasElement) {
    this.#canvas = canvas;
    this.#cache = document.createElement('canvas');
  }

  /** Paints `strokes` (in painting order) on the canvas, `pixels` device pixels square. */
  paint(strokes: readonly BoardStroke[], pixels: number): void {
    if (pixels <= 0) return;
    if (pixels !== this.#pixels) {
      this.#pixels = pixels;
      this.#canvas.width = this.#canvas.height = pixels;
      this.#cache.width = this.#cache.height = pixels;
      this.#cached = [];
      blank(context2d(this.#cache), pixels);
    }
    let finished = 0;
    while (finished < strokes.length && strokes[finished]!.done) finished++;

    const cache = context2d(this.#cache);
    const stillValid =
      this.#cached.length <= finished &&
      this.#cached.every((entry, index) => strokes[index] === entry.stroke && entry.stroke.revision === entry.revision);
    if (!stillValid) {
      this.#cached = [];
      blank(cache, pixels);
    }
    for (let index = this.#cached.length; index < finished; index++) {
      const stroke = strokes[index]!;
      paintStroke(cache, stroke);
      this.#cached.push({ stroke, revision: stroke.revision });
    }

    const screen = context2d(this.#canvas);
    screen.setTransform(1, 0, 0, 1, 0, 0);
    screen.drawImage(this.#cache, 0, 0);
    const scale = pixels / BOARD_UNITS;
    screen.setTransform(scale, 0, 0, scale, 0, 0);
    for (let index = finished; index < strokes.length; index++) paintStroke(screen, strokes[index]!);
  }
}

/** The whole board as a new canvas `pixels` square, white under the strokes: for saving as a picture. */
export function paintPicture(strokes: readonly BoardStroke[], pixels: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = pixels;
  const context = context2d(canvas);
  blank(context, pixels);
  for (const stroke of strokes) paintStroke(context, stroke);
  return canvas;
}
