import { describe, expect, it } from 'vitest';
import { outlinePath, strokeOptions, strokeOutline } from './strokeOutline.ts';

const wiggle = Array.from({ length: 120 }, (_, index) => [100 + index * 6, Math.round(500 + 200 * Math.sin(index / 9))]).flat();

describe('stroke outline', () => {
  it('gives the same polygon for the same points, call after call (no hidden state or clock)', () => {
    const first = strokeOutline(wiggle, 'large', true);
    strokeOutline([1, 2, 900, 900, 5, 5], 'medium', false);
    const again = strokeOutline([...wiggle], 'large', true);
    expect(first.length).toBeGreaterThan(10);
    expect(again).toEqual(first);
    expect(outlinePath(again)).toBe(outlinePath(first));
  });

  it('is shaped by the brush width and by whether the finger lifted, and by nothing else', () => {
    const medium = strokeOutline(wiggle, 'medium', true);
    const large = strokeOutline(wiggle, 'large', true);
    const unfinished = strokeOutline(wiggle, 'large', false);
    expect(large).not.toEqual(medium);
    expect(unfinished).not.toEqual(large);
    expect(strokeOptions('large', true)).toMatchObject({ size: 36, last: true, simulatePressure: true });
  });

  it('draws a single tap as a dot, and nothing for no points', () => {
    const dot = strokeOutline([500, 500], 'large', true);
    expect(dot.length).toBeGreaterThan(4);
    for (const [x, y] of dot) expect(Math.hypot(x - 500, y - 500)).toBeLessThan(40);
    expect(strokeOutline([], 'large', true)).toEqual([]);
    expect(outlinePath([])).toBe('');
  });
});
