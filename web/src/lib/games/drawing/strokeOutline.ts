import { getStroke, type StrokeOptions } from 'perfect-freehand';
import { BRUSH_SIZES, type BrushSize } from '@tupa/signaling/protocol';
import { pairs } from './points.ts';

// How a stroke's points become the shape every screen paints. perfect-freehand turns the points
// into an outline polygon (a pure function of the points and the options, with no timing or
// pressure from the device), so the same points and these same options give the same picture
// on the drawer's tablet, a grandparent's laptop and the saved PNG. Change nothing here per
// screen or per device: one function for everyone.

/** The smoothing everyone uses; only the width (from the brush) and `last` (from `done`) vary. */
const SHARED_OPTIONS = {
  // Speed thins the line a little, like a felt-tip pen; no device pressure, so a mouse, a
  // finger and a pen draw alike and the others (who receive no pressure) see the same line.
  thinning: 0.3,
  smoothing: 0.5,
  // Low, so the line stays under a child's finger while it moves.
  streamline: 0.3,
  simulatePressure: true,
  easing: (pressure: number) => pressure,
  start: { cap: true, taper: 0 },
  end: { cap: true, taper: 0 },
} as const satisfies StrokeOptions;

/** perfect-freehand's options for a stroke of brush `size` (width in board units); `done`: the finger lifted. */
export function strokeOptions(size: BrushSize, done: boolean): StrokeOptions {
  return { ...SHARED_OPTIONS, size: BRUSH_SIZES[size], last: done };
}

/**
 * The outline polygon of a stroke, in board units: `points` is the flat wire list
 * [x0, y0, x1, y1, ...]. Empty for no points; a single point gives a round dot.
 */
export function strokeOutline(points: readonly number[], size: BrushSize, done: boolean): [number, number][] {
  if (points.length < 2) return [];
  return getStroke(pairs(points), strokeOptions(size, done));
}

const average = (a: number, b: number): number => (a + b) / 2;

/**
 * An outline as a closed SVG path (quadratic curves through the midpoints, as perfect-freehand's
 * documentation draws it), for `new Path2D(...)`; empty when there are too few outline points.
 */
export function outlinePath(outline: readonly (readonly [number, number])[]): string {
  if (outline.length < 4) return '';
  const fixed = (value: number) => value.toFixed(2);
  const [a, b, c] = [outline[0]!, outline[1]!, outline[2]!];
  let path = `M${fixed(a[0])},${fixed(a[1])} Q${fixed(b[0])},${fixed(b[1])} ${fixed(average(b[0], c[0]))},${fixed(average(b[1], c[1]))} T`;
  for (let index = 2; index < outline.length - 1; index++) {
    const from = outline[index]!;
    const to = outline[index + 1]!;
    path += `${fixed(average(from[0], to[0]))},${fixed(average(from[1], to[1]))} `;
  }
  return `${path}Z`;
}
