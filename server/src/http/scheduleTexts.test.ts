import { normaliseLocalDate, normaliseWallClock } from '@tupa/db';
import { isLocalDateText, isWallClockText } from '@tupa/signaling/protocol';
import { describe, expect, it } from 'vitest';

// The protocol checks a session's times before the route sees them (the browser loads it, so it
// cannot use the database's Temporal-based reading); the two must pass exactly the same texts, or
// a session the form accepts fails when the schedule stores it.
describe('schedule texts', () => {
  // The form's check must pass exactly what the schedule can store, or a planned session fails later.
  const wallClocks = [
    '2026-10-29T18:00',
    '2026-10-29T18:00:59',
    '2026-10-29T18:00:60',
    '2028-02-29T00:00',
    '2027-02-29T00:00',
    '2026-13-01T10:00',
    '2026-04-31T10:00',
    '2026-10-29T24:00',
    '2026-10-29T18:60',
    '0000-02-29T12:00',
    '2026-10-29 18:00',
    '2026-10-29T18:00Z',
  ];
  it.each(wallClocks)('reads %s as the schedule does', (text) => {
    expect(isWallClockText(text)).toBe(normaliseWallClock(text) !== null);
  });

  const dates = ['2027-05-27', '2028-02-29', '2027-02-29', '2027-00-10', '2027-12-32', '2027-5-27'];
  it.each(dates)('reads the date %s as the schedule does', (text) => {
    expect(isLocalDateText(text)).toBe(normaliseLocalDate(text) !== null);
  });
});
