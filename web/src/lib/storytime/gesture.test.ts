import { describe, expect, it } from 'vitest';
import { classifyGesture } from './gesture.ts';
import { pagesToPreload, sizeForWidth } from './pageImages.ts';

describe('gestures on the page', () => {
  it('turns forward on a quick swipe to the left and back on one to the right', () => {
    expect(classifyGesture(-150, 10, 250)).toBe('next');
    expect(classifyGesture(150, -20, 250)).toBe('previous');
  });

  it('treats a short still touch as a tap, a long still one as nothing', () => {
    expect(classifyGesture(3, 4, 150)).toBe('tap');
    expect(classifyGesture(3, 4, 1500)).toBe('none');
  });

  it('does not turn on pointing: slow, short or mostly vertical movement', () => {
    expect(classifyGesture(-150, 10, 2000)).toBe('none');
    expect(classifyGesture(-40, 0, 200)).toBe('none');
    expect(classifyGesture(-100, 80, 200)).toBe('none');
  });
});

describe('page pictures', () => {
  it('fetches the next two pages and the one before, inside the book', () => {
    expect(pagesToPreload(3, 12)).toEqual([4, 5, 2]);
    expect(pagesToPreload(1, 12)).toEqual([2, 3]);
    expect(pagesToPreload(12, 12)).toEqual([11]);
  });

  it('uses the small picture for a small stage and the large one otherwise', () => {
    expect(sizeForWidth(320, 2)).toBe('small');
    expect(sizeForWidth(360, 1)).toBe('small');
    expect(sizeForWidth(500, 2)).toBe('large');
    expect(sizeForWidth(900, 1)).toBe('large');
  });
});
