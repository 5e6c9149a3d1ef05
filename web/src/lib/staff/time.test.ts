import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TIME_ZONE, setOrganisationTimeZone } from '#lib/organisationTimeZone.ts';
import { daysFromToday, describeWallClock, formatDay, formatTime, nextHalfHour, organisationDate, otherZoneName, wallClockAt } from './time.ts';

// The computer showing the console is set to Los Angeles time: nothing here may depend on it.
const browserZone = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'America/Los_Angeles';
});
afterAll(() => {
  process.env.TZ = browserZone;
});
afterEach(() => setOrganisationTimeZone(DEFAULT_TIME_ZONE));

describe('times in the staff console are on the organisation\'s clock, not the computer\'s', () => {
  it('runs in a browser zone other than the organisation\'s', () => {
    // 29 October 2026 at 16.00 UTC is 09.00 in Los Angeles (UTC-7 there until 1 November).
    expect(new Date('2026-10-29T16:00:00Z').getHours()).toBe(9);
  });

  it('writes 18.00 for a Thursday session before and after the clocks go back in Helsinki', () => {
    expect(formatTime('2026-10-22T15:00:00Z', 'fi')).toBe('18.00');
    expect(formatTime('2026-10-29T16:00:00Z', 'fi')).toBe('18.00');
    expect(formatTime('2026-10-29T16:00:00Z', 'en')).toBe('18:00');
    expect(formatDay('2026-10-29T16:00:00Z', 'en')).toBe('Thursday 29 October');
  });

  it('follows the zone the server names', () => {
    setOrganisationTimeZone('America/New_York');
    expect(formatTime('2026-10-29T16:00:00Z', 'en')).toBe('12:00');
    // A name this browser does not know leaves the zone as it was.
    setOrganisationTimeZone('Europe/Helsinky');
    expect(formatTime('2026-10-29T16:00:00Z', 'en')).toBe('12:00');
  });

  it('reads an instant back as the organisation\'s wall-clock time and day', () => {
    expect(wallClockAt(new Date('2025-06-03T11:30:00Z'))).toBe('2025-06-03T14:30');
    expect(organisationDate('2026-11-01T22:30:00Z')).toBe('2026-11-02');
  });

  it('counts days by the organisation\'s calendar, not UTC nor the computer\'s', () => {
    const now = new Date('2025-06-03T20:00:00Z'); // 23.00 in Helsinki
    expect(daysFromToday('2025-06-03T20:30:00Z', now)).toBe(0);
    expect(daysFromToday('2025-06-03T21:30:00Z', now)).toBe(1); // 00.30 the next day
  });

  it('names the zone in the help line only when it is not Helsinki', () => {
    expect(otherZoneName('en')).toBeNull();
    setOrganisationTimeZone('America/New_York');
    expect(otherZoneName('en')).toBe('Eastern Time (New York)');
  });
});

describe('the start a new session offers', () => {
  it('is the next whole half hour on the organisation\'s clock, today', () => {
    expect(nextHalfHour(new Date('2026-11-29T19:40:00Z'))).toBe('2026-11-29T22:00'); // 21.40 in Helsinki
    expect(nextHalfHour(new Date('2026-11-29T19:00:00Z'))).toBe('2026-11-29T21:30'); // 21.00 exactly
    expect(nextHalfHour(new Date('2026-11-29T21:45:00Z'))).toBe('2026-11-30T00:00'); // 23.45: midnight
  });

  it('counts the half hour on the clock\'s face also where the offset is not whole hours', () => {
    setOrganisationTimeZone('Asia/Kolkata'); // UTC+5.30
    expect(nextHalfHour(new Date('2026-11-29T10:05:00Z'))).toBe('2026-11-29T16:00'); // 15.35 there
  });
});

describe('a planned wall-clock time in words', () => {
  it('keeps the typed day and time whatever the computer\'s zone', () => {
    expect(describeWallClock('2026-10-29T18:00', 'fi', 60)).toEqual({
      day: 'torstaina 29. lokakuuta 2026',
      date: '29. lokakuuta 2026',
      weekday: 'torstai',
      time: '19.00',
    });
    expect(describeWallClock('2026-10-29T18:00', 'en')).toEqual({
      day: 'Thursday, 29 October 2026',
      date: '29 October 2026',
      weekday: 'Thursday',
      time: '18:00',
    });
    expect(describeWallClock('2026-10-29', 'en')).toBeNull();
  });
});
