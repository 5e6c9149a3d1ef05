import { describe, expect, test } from 'vitest';
import { instantOfWallClock, isTimeZone, localDateAt, normaliseLocalDate, normaliseWallClock, wallClockAt } from './wallClock.ts';

describe('wall-clock times', () => {
  test('18.00 in Helsinki is a different instant in summer and in winter, and reads back the same', () => {
    expect(instantOfWallClock('2026-10-22T18:00:00', 'Europe/Helsinki').toISOString()).toBe('2026-10-22T15:00:00.000Z');
    expect(instantOfWallClock('2026-10-29T18:00:00', 'Europe/Helsinki').toISOString()).toBe('2026-10-29T16:00:00.000Z');
    expect(wallClockAt(new Date('2026-10-29T16:00:00Z'), 'Europe/Helsinki')).toBe('2026-10-29T18:00:00');
    expect(wallClockAt(new Date('2026-10-29T16:00:00.999Z'), 'Europe/Helsinki')).toBe('2026-10-29T18:00:00');
  });

  test('a time the clocks skip comes an hour later; a time that comes twice means the first', () => {
    expect(instantOfWallClock('2027-03-28T03:30:00', 'Europe/Helsinki').toISOString()).toBe('2027-03-28T01:30:00.000Z');
    expect(instantOfWallClock('2026-10-25T03:30:00', 'Europe/Helsinki').toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  test('the date depends on the zone', () => {
    expect(localDateAt(new Date('2026-11-01T22:30:00Z'), 'Europe/Helsinki')).toBe('2026-11-02');
    expect(localDateAt(new Date('2026-11-01T22:30:00Z'), 'America/New_York')).toBe('2026-11-01');
  });

  test('reads typed times and dates strictly', () => {
    expect(normaliseWallClock('2026-10-29T18:00')).toBe('2026-10-29T18:00:00');
    expect(normaliseWallClock('2026-10-29T18:00:30')).toBe('2026-10-29T18:00:30');
    for (const bad of ['2026-10-29T18:00Z', '2026-10-29T18:00+02:00', '2026-02-30T18:00', '2026-10-29T24:00', '2026-10-29', '']) {
      expect(normaliseWallClock(bad)).toBeNull();
    }
    expect(normaliseLocalDate('2028-02-29')).toBe('2028-02-29');
    expect(normaliseLocalDate('2027-02-29')).toBeNull();
    expect(normaliseLocalDate('2027-02-28T00:00')).toBeNull();
  });

  test('knows time zones by name', () => {
    expect(isTimeZone('Europe/Helsinki')).toBe(true);
    expect(isTimeZone('America/New_York')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Europe/Helsinky')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});
