import { describe, expect, it } from 'vitest';
import { DRAWING_LIMITS } from '../protocol/index.ts';
import { DrawingBoard, type DrawingLimits } from './DrawingBoard.ts';
import { refusalOf } from '../../../tests/support/refusal.ts';

// The board's own rules, without a room: ids, order, undo, clear, and each cap with its reason.
// Caps are lowered through the constructor so a test need not draw 200,000 points; the clock is
// a number the test moves.

const LOW: DrawingLimits = { strokesPerBoard: 6, pointsPerBoard: 40, strokesPerPerson: 4, pointsPerStroke: 10, pointsPerBatch: 240, pointsPerSecond: 20 };

function setup(limits: DrawingLimits = LOW) {
  let ms = 0;
  const board = new DrawingBoard(limits, () => ms);
  return { board, tick: (by: number) => (ms += by) };
}

/** `n` points (x, y pairs) in board units. */
const points = (n: number, from = 0) => Array.from({ length: n }, (_, i) => [(from + i) % 1000, 500]).flat();
const start = (key: number, n = 1) => ({ key, colour: 'red' as const, size: 'large' as const, points: points(n) });

describe('DrawingBoard', () => {
  it('gives strokes rising ids in the order they start, and keeps their points in order', () => {
    const { board } = setup();
    expect(board.start('ann', start(7, 2)).stroke).toMatchObject({ strokeId: 1, by: 'ann', points: points(2), done: false });
    expect(board.start('bo', start(7, 1)).stroke.strokeId).toBe(2);
    expect(board.extend('ann', 7, [9, 9, 8, 8], false)).toEqual({ strokeId: 1, points: [9, 9, 8, 8], done: false });
    expect(board.extend('ann', 7, [7, 7], true)).toEqual({ strokeId: 1, points: [7, 7], done: true });
    expect(board.view().strokes.map((s) => [s.strokeId, s.points, s.done])).toEqual([
      [1, [...points(2), 9, 9, 8, 8, 7, 7], true],
      [2, points(1), false],
    ]);
    // A finished stroke takes no more points; someone else's key is not one's own.
    expect(refusalOf(() => board.extend('ann', 7, [1, 1], false))).toBe('invalid-state/stroke-not-found');
    expect(refusalOf(() => board.extend('ann', 8, [1, 1], false))).toBe('invalid-state/stroke-not-found');
  });

  it("undoes only the asker's own last stroke, finished or not, and ids never come back", () => {
    const { board } = setup();
    board.start('ann', start(1));
    board.start('bo', start(1));
    board.start('ann', start(2));
    expect(board.undo('ann')).toBe(3);
    expect(refusalOf(() => board.extend('ann', 2, [1, 1], true))).toBe('invalid-state/stroke-not-found');
    expect(board.undo('ann')).toBe(1);
    expect(refusalOf(() => board.undo('ann'))).toBe('invalid-state/nothing-to-undo');
    expect(board.view().strokes.map((s) => s.strokeId)).toEqual([2]);
    expect(board.start('ann', start(3)).stroke.strokeId).toBe(4);
  });

  it('clears every stroke; a stroke being drawn ends with the board', () => {
    const { board } = setup();
    board.start('ann', start(1, 3));
    board.clear();
    expect(board.view().strokes).toEqual([]);
    expect(board.points).toBe(0);
    expect(refusalOf(() => board.extend('ann', 1, [1, 1], false))).toBe('invalid-state/stroke-not-found');
  });

  it('refuses a stroke beyond the board, the person or the stroke, and each refusal changes nothing', () => {
    const { board, tick } = setup();
    for (let key = 0; key < 4; key++) board.start('ann', start(key));
    expect(refusalOf(() => board.start('ann', start(9)))).toBe('invalid-state/strokes-per-person');
    board.start('bo', start(0));
    board.start('bo', start(1));
    expect(refusalOf(() => board.start('cy', start(0)))).toBe('invalid-state/board-full');
    const before = board.view();
    expect(refusalOf(() => board.extend('bo', 1, points(10), false))).toBe('invalid-state/stroke-too-long');
    expect(board.view()).toEqual(before);
    tick(10_000);
    // 6 points on the board; 40 at most.
    board.extend('bo', 1, points(9), true);
    board.extend('bo', 0, points(9), false);
    board.extend('ann', 0, points(9), false);
    tick(10_000);
    expect(refusalOf(() => board.extend('ann', 1, points(8), false))).toBe('invalid-state/board-full');
    expect(board.points).toBe(33);
  });

  it('refuses points faster than a hand draws (a bucket twice the rate deep), and takes none of a refused batch', () => {
    const { board, tick } = setup({ ...DRAWING_LIMITS, pointsPerSecond: 20 });
    board.start('ann', start(1, 30));
    expect(refusalOf(() => board.extend('ann', 1, points(11), false))).toBe('rate-limited/drawing-too-fast');
    // The other ten points of the bucket are still there.
    expect(board.extend('ann', 1, points(10), false).points).toHaveLength(20);
    expect(refusalOf(() => board.extend('ann', 1, points(1), false))).toBe('rate-limited/drawing-too-fast');
    // Someone else has a budget of their own; a lift without points always goes through.
    expect(board.start('bo', start(1, 40)).stroke.strokeId).toBe(2);
    expect(board.extend('ann', 1, [], true)).toEqual({ strokeId: 1, points: [], done: true });
    tick(500);
    expect(board.start('ann', start(2, 10)).stroke.strokeId).toBe(3);
  });

  it("finishes a departed drawer's strokes and keeps them on the board", () => {
    const { board } = setup();
    board.start('ann', start(1));
    board.start('ann', start(2));
    board.extend('ann', 2, [], true);
    board.start('bo', start(1));
    expect(board.peerLeft('ann')).toEqual([{ strokeId: 1, points: [], done: true }]);
    expect(board.view().strokes.map((s) => [s.strokeId, s.done])).toEqual([[1, true], [2, true], [3, false]]);
  });

  it('finishes a stroke whose key is used again before it was lifted', () => {
    const { board } = setup();
    board.start('ann', start(1));
    const again = board.start('ann', start(1));
    expect(again.finished).toEqual({ strokeId: 1, points: [], done: true });
    expect(again.stroke.strokeId).toBe(2);
  });
});
