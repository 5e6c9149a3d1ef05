import { describe, expect, it } from 'vitest';
import { EndedPlaces } from './EndedPlaces.ts';

describe('places that ended while their tab was away', () => {
  it('tells how a place ended to the holder of its secret, for the grace period only', () => {
    let now = 1_000;
    const ended = new EndedPlaces(20_000, () => now);
    ended.remember('p1', 'secret-1', 'removed-by-host');
    expect(ended.endingOf('p1', 'secret-1')).toBe('removed-by-host');
    expect(ended.endingOf('p1', 'wrong')).toBeUndefined();
    expect(ended.endingOf('p2', 'secret-1')).toBeUndefined();
    now += 20_001;
    expect(ended.endingOf('p1', 'secret-1')).toBeUndefined();
    ended.remember('p3', 'secret-3', 'session-ended');
    // Expired endings are forgotten as new ones come.
    expect(ended.size).toBe(1);
  });

  it('remembers nothing without a grace period, and stays bounded', () => {
    expect(new EndedPlaces(0).endingOf('p', 's')).toBeUndefined();
    const none = new EndedPlaces(0);
    none.remember('p', 's', 'lobby-denied');
    expect(none.size).toBe(0);
    const many = new EndedPlaces(60_000);
    for (let i = 0; i < 10_050; i++) many.remember(`p${i}`, 's', 'lobby-denied');
    expect(many.size).toBe(10_000);
    expect(many.endingOf('p0', 's')).toBeUndefined();
    expect(many.endingOf('p10049', 's')).toBe('lobby-denied');
  });
});
