import { describe, expect, it } from 'vitest';
import { daysFromToday, formatTime, helsinkiWallTimeToIso, toHelsinkiWallTime } from './time.ts';

describe('Helsinki time in the staff console', () => {
  it('reads a wall-clock time in summer and in winter with the right offset', () => {
    expect(helsinkiWallTimeToIso('2025-06-03T14:30')).toBe('2025-06-03T11:30:00.000Z');
    expect(helsinkiWallTimeToIso('2025-01-15T09:00')).toBe('2025-01-15T07:00:00.000Z');
    expect(helsinkiWallTimeToIso('not a time')).toBeNull();
  });

  it('turns an instant back into the same wall-clock time', () => {
    expect(toHelsinkiWallTime(new Date('2025-06-03T11:30:00Z'))).toBe('2025-06-03T14:30');
  });

  it('counts days by the Helsinki calendar, not UTC', () => {
    const now = new Date('2025-06-03T20:00:00Z'); // 23.00 in Helsinki
    expect(daysFromToday('2025-06-03T20:30:00Z', now)).toBe(0);
    expect(daysFromToday('2025-06-03T21:30:00Z', now)).toBe(1); // 00.30 the next day
  });

  it('writes times the way each language does', () => {
    expect(formatTime('2025-06-03T11:30:00Z', 'fi')).toBe('14.30');
    expect(formatTime('2025-06-03T11:30:00Z', 'en')).toBe('14:30');
  });
});
