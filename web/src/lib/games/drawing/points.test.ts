import { describe, expect, it } from 'vitest';
import { appendPoints, boardPointFromClient, pairs, toBoardUnit } from './points.ts';

describe('board points', () => {
  it('rounds to whole board units and keeps them on the board', () => {
    expect([toBoardUnit(10.49), toBoardUnit(10.5), toBoardUnit(-3), toBoardUnit(1000.4), toBoardUnit(1007), toBoardUnit(Number.NaN)]).toEqual([
      10, 11, 0, 1000, 1000, 0,
    ]);
  });

  it('drops a point equal to the one before it once rounded, also across two moves', () => {
    const points: number[] = [];
    expect(appendPoints(points, [{ x: 10.2, y: 20.4 }, { x: 9.6, y: 19.8 }, { x: 11, y: 20 }])).toBe(2);
    expect(appendPoints(points, [{ x: 11.3, y: 19.9 }, { x: 10, y: 20 }])).toBe(1);
    expect(points).toEqual([10, 20, 11, 20, 10, 20]);
  });

  it('keeps a point that comes back to an earlier place (only consecutive repeats go)', () => {
    const points: number[] = [];
    appendPoints(points, [{ x: 1, y: 1 }, { x: 2, y: 2 }, { x: 1, y: 1 }]);
    expect(pairs(points)).toEqual([
      [1, 1],
      [2, 2],
      [1, 1],
    ]);
  });

  it('maps a pointer on the shown board to board units, whatever the board’s size on screen', () => {
    const rect = { left: 100, top: 50, width: 400, height: 400 };
    expect(boardPointFromClient(300, 250, rect)).toEqual({ x: 500, y: 500 });
    expect(boardPointFromClient(100, 450, rect)).toEqual({ x: 0, y: 1000 });
  });
});
