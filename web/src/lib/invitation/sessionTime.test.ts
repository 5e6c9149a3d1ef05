import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_TIME_ZONE, setOrganisationTimeZone } from '#lib/organisationTimeZone.ts';
import { formatSessionStart, languageName, LOOK_AGAIN_EVERY_MS, nextLookIn, OPENS_EARLY_MS } from './sessionTime.ts';

describe('session start times', () => {
  // Thursday 12 March 2026, 17.30 in Helsinki (UTC+2 in winter).
  const start = '2026-03-12T15:30:00.000Z';

  it('says the time and day in Helsinki time, in each language\'s own form', () => {
    expect(formatSessionStart(start, 'fi', 'Europe/Helsinki')).toEqual({ time: '17.30', day: 'torstaina 12.3.', onDeviceClock: null });
    expect(formatSessionStart(start, 'sv', 'Europe/Helsinki')).toEqual({ time: '17.30', day: 'torsdag 12.3', onDeviceClock: null });
    expect(formatSessionStart(start, 'en', 'Europe/Helsinki')).toEqual({ time: '17:30', day: 'Thursday 12 March', onDeviceClock: null });
  });

  it('follows summer time', () => {
    expect(formatSessionStart('2026-06-11T14:30:00.000Z', 'fi').time).toBe('17.30');
  });

  it('names the room\'s language in the reader\'s language', () => {
    expect(languageName('fi', 'en')).toBe('Finnish');
    expect(languageName('sv', 'fi')).toBe('ruotsi');
    expect(languageName('fi', 'sv')).toBe('finska');
  });
});

describe('on the organisation\'s clock, not the tablet\'s', () => {
  const tabletZone = process.env.TZ;
  afterEach(() => {
    process.env.TZ = tabletZone;
    setOrganisationTimeZone(DEFAULT_TIME_ZONE);
  });

  it('says 18.00 for a Helsinki session after the clocks go back, on a tablet set to Tokyo time', () => {
    process.env.TZ = 'Asia/Tokyo';
    expect(new Date('2026-10-29T16:00:00.000Z').getHours()).toBe(1); // the tablet's own clock
    expect(formatSessionStart('2026-10-29T16:00:00.000Z', 'fi', 'Asia/Tokyo')).toMatchObject({ time: '18.00', day: 'torstaina 29.10.' });
  });

  it('uses the zone the server names', () => {
    setOrganisationTimeZone('America/New_York');
    expect(formatSessionStart('2026-11-05T23:00:00.000Z', 'en', 'America/New_York')).toEqual({ time: '18:00', day: 'Thursday 5 November', onDeviceClock: null });
  });

  it('also says the time on the device\'s own clock when that shows another, for a grandparent abroad', () => {
    // 18.00 in Helsinki is 16.00 in London, and 01.00 the next day in Tokyo.
    expect(formatSessionStart('2026-12-03T16:00:00.000Z', 'fi', 'Europe/London')).toEqual({
      time: '18.00',
      day: 'torstaina 3.12.',
      onDeviceClock: { time: '16.00', day: 'torstaina 3.12.' },
    });
    expect(formatSessionStart('2026-12-03T16:00:00.000Z', 'en', 'Asia/Tokyo').onDeviceClock).toEqual({ time: '01:00', day: 'Friday 4 December' });
    // Another zone name with the same clock (Tallinn keeps Helsinki's time) says nothing more.
    expect(formatSessionStart('2026-12-03T16:00:00.000Z', 'fi', 'Europe/Tallinn').onDeviceClock).toBeNull();
  });
});

describe('looking again by itself', () => {
  const startsAt = '2026-03-12T15:30:00.000Z';
  const opensAt = Date.parse(startsAt) - OPENS_EARLY_MS;

  it('waits until a minute before the door opens, then looks every half minute', () => {
    expect(nextLookIn(startsAt, opensAt - 10 * 60_000)).toBe(9 * 60_000);
    expect(nextLookIn(startsAt, opensAt - 30_000)).toBe(LOOK_AGAIN_EVERY_MS);
    expect(nextLookIn(startsAt, opensAt + 5_000)).toBe(LOOK_AGAIN_EVERY_MS);
  });

  it('does not wait by itself for a session that is hours away', () => {
    expect(nextLookIn(startsAt, opensAt - 13 * 3600_000)).toBeNull();
    expect(nextLookIn(startsAt, opensAt - 11 * 3600_000)).toBe(11 * 3600_000 - 60_000);
  });
});
