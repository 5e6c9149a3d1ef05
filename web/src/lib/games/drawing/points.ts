import { BOARD_UNITS } from '@tupa/signaling/protocol';

// Points on the board as they go over the wire: whole board units from 0 to BOARD_UNITS (the
// board is square, so one unit is the same distance across and down), x and y in turn in one
// flat list. Rounding here, once, means the drawer's own screen shows exactly the points the
// others receive.

/** A point in board units, possibly fractional and outside the board (a finger slid off it). */
export interface BoardPoint {
  x: number;
  y: number;
}

/** Rounds one coordinate to a whole board unit within 0..BOARD_UNITS. */
export function toBoardUnit(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.min(BOARD_UNITS, Math.max(0, Math.round(value)));
}

/**
 * Where a pointer at (`clientX`, `clientY`) lies on a board shown in `rect` (CSS pixels), in
 * board units (fractional; `appendPoints` rounds).
 */
export function boardPointFromClient(clientX: number, clientY: number, rect: { left: number; top: number; width: number; height: number }): BoardPoint {
  const width = rect.width > 0 ? rect.width : 1;
  const height = rect.height > 0 ? rect.height : 1;
  return { x: ((clientX - rect.left) / width) * BOARD_UNITS, y: ((clientY - rect.top) / height) * BOARD_UNITS };
}

/**
 * Appends `points`, rounded and clamped, to the flat list `into`, dropping any point equal to
 * the one before it (including the last one already in `into`). Returns how many were added.
 */
export function appendPoints(into: number[], points: readonly BoardPoint[]): number {
  let added = 0;
  for (const point of points) {
    const x = toBoardUnit(point.x);
    const y = toBoardUnit(point.y);
    const length = into.length;
    if (length >= 2 && into[length - 2] === x && into[length - 1] === y) continue;
    into.push(x, y);
    added++;
  }
  return added;
}

/** The flat list [x0, y0, x1, y1, ...] as pairs, the shape perfect-freehand reads. */
export function pairs(flat: readonly number[]): [number, number][] {
  const result: [number, number][] = [];
  for (let index = 0; index + 1 < flat.length; index += 2) result.push([flat[index]!, flat[index + 1]!]);
  return result;
}
