import { describe, expect, it } from 'vitest';
import { addressKey, CodeGuessingGuard, codeWaitMessage, type GuardedLookUp } from './codeGuessingGuard.ts';

// The guard with the real numbers and a clock the test moves: no sleeping.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function guardWithClock() {
  const clock = { now: Date.UTC(2026, 0, 1) };
  const warnings: unknown[] = [];
  const logger = { warn: (fields: unknown) => warnings.push(fields) } as unknown as import('pino').Logger;
  const guard = new CodeGuessingGuard({ now: () => clock.now, logger });
  const right = (address: string) => guard.lookUp(address, async () => 'invitation');
  const wrong = (address: string) => guard.lookUp(address, async () => null);
  return { guard, clock, warnings, right, wrong };
}

const waitOf = (result: GuardedLookUp<unknown>) => (result.outcome === 'wait' ? result.retryAfterSeconds : 0);

describe('one address', () => {
  it('lets every right code through and keeps no trace of it', async () => {
    const { guard, right, clock } = guardWithClock();
    for (let i = 0; i < 300; i++) {
      expect(await right('192.0.2.1')).toEqual({ outcome: 'found', value: 'invitation' });
      clock.now += 100;
    }
    expect(guard.trackedAddresses).toBe(0);
  });

  it('lets ten wrong codes cost nothing, then makes each further one wait 1, 2, 4 ... seconds, never past ten minutes', async () => {
    const { wrong, clock } = guardWithClock();
    for (let i = 0; i < 10; i++) expect(await wrong('192.0.2.1')).toEqual({ outcome: 'not-found' });
    // The eleventh is looked up, and starts the first wait.
    expect(await wrong('192.0.2.1')).toEqual({ outcome: 'not-found' });
    expect(await wrong('192.0.2.1')).toEqual({ outcome: 'wait', retryAfterSeconds: 1 });
    const waits: number[] = [];
    for (let i = 0; i < 14; i++) {
      const refused = await wrong('192.0.2.1');
      waits.push(waitOf(refused));
      clock.now += waitOf(refused) * 1000;
      expect(await wrong('192.0.2.1')).toEqual({ outcome: 'not-found' });
    }
    // 1 s doubling, until the waits meet the pace at which wrong codes are forgotten (one every
    // 6 minutes): from there they stay between 4 and 9 minutes, never past ten.
    expect(waits.slice(0, 9)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256]);
    for (const wait of waits.slice(9)) expect(wait === 256 || wait === 512).toBe(true);
  });

  it('never refuses right codes typed at the same moment, also at the edge of the allowance', async () => {
    const { right, wrong } = guardWithClock();
    // A room of thirty people typing their right codes at once, from one Wi-Fi.
    const together = await Promise.all(Array.from({ length: 30 }, () => right('192.0.2.1')));
    expect(together.every((r) => r.outcome === 'found')).toBe(true);
    // Ten typos (all free), then five right codes at once: answered one after another, all found.
    for (let i = 0; i < 10; i++) await wrong('192.0.2.1');
    const atTheEdge = await Promise.all(Array.from({ length: 5 }, () => right('192.0.2.1')));
    expect(atTheEdge.map((r) => r.outcome)).toEqual(['found', 'found', 'found', 'found', 'found']);
    // A wrong one among right ones at the edge: it is the one past the allowance, and the rest
    // meet the wait it starts.
    const mixed = await Promise.all([wrong('192.0.2.1'), right('192.0.2.1'), right('192.0.2.1')]);
    expect(mixed.map((r) => r.outcome)).toEqual(['not-found', 'wait', 'wait']);
  });

  it('refuses a right code while the address waits, and counts no refused try', async () => {
    const { wrong, right, clock } = guardWithClock();
    for (let i = 0; i < 11; i++) await wrong('192.0.2.1');
    for (let i = 0; i < 50; i++) {
      expect(await right('192.0.2.1')).toEqual({ outcome: 'wait', retryAfterSeconds: 1 });
      expect(await wrong('192.0.2.1')).toEqual({ outcome: 'wait', retryAfterSeconds: 1 });
    }
    clock.now += 1000;
    expect(await right('192.0.2.1')).toEqual({ outcome: 'found', value: 'invitation' });
    // The hundred refused tries added nothing: the next wrong code waits 2 s, not more.
    expect(await wrong('192.0.2.1')).toEqual({ outcome: 'not-found' });
    expect(await wrong('192.0.2.1')).toEqual({ outcome: 'wait', retryAfterSeconds: 2 });
  });

  it('does not count right codes after ten typos', async () => {
    const { wrong, right } = guardWithClock();
    for (let i = 0; i < 10; i++) await wrong('192.0.2.1');
    for (let i = 0; i < 30; i++) expect((await right('192.0.2.1')).outcome).toBe('found');
  });

  it('never holds back a venue with bursts of ten typos every hour, all day', async () => {
    const { wrong, right, clock } = guardWithClock();
    for (let hour = 0; hour < 24; hour++) {
      for (let i = 0; i < 10; i++) expect((await wrong('192.0.2.1')).outcome).toBe('not-found');
      for (let i = 0; i < 15; i++) expect((await right('192.0.2.1')).outcome).toBe('found');
      clock.now += HOUR;
    }
  });

  it('forgets wrong codes one at a time: six minutes after the eleventh, one more is free', async () => {
    const { wrong, clock } = guardWithClock();
    for (let i = 0; i < 11; i++) await wrong('192.0.2.1');
    clock.now += 6 * MINUTE;
    expect(await wrong('192.0.2.1')).toEqual({ outcome: 'not-found' });
    // Back at eleven not forgotten: the wait is the first one again.
    expect(await wrong('192.0.2.1')).toEqual({ outcome: 'wait', retryAfterSeconds: 1 });
  });

  it('gives a guesser who never stops about ten codes an hour after the first ten', async () => {
    const { wrong, clock } = guardWithClock();
    let lookedUp = 0;
    const end = clock.now + 24 * HOUR;
    while (clock.now < end) {
      const result = await wrong('192.0.2.1');
      if (result.outcome === 'wait') clock.now += result.retryAfterSeconds * 1000;
      else lookedUp++;
    }
    // 10 up front, 240 forgotten in 24 hours, and the few the first short waits let through.
    expect(lookedUp).toBeGreaterThanOrEqual(250);
    expect(lookedUp).toBeLessThanOrEqual(262);
  });

  it('does not hold back another address', async () => {
    const { wrong, right } = guardWithClock();
    for (let i = 0; i < 12; i++) await wrong('192.0.2.1');
    expect((await right('192.0.2.1')).outcome).toBe('wait');
    expect((await right('192.0.2.2')).outcome).toBe('found');
    expect((await wrong('192.0.2.2')).outcome).toBe('not-found');
  });

  it('counts a whole IPv6 /64 as one address, and IPv4-mapped addresses as IPv4', async () => {
    const { wrong, right } = guardWithClock();
    for (let i = 1; i <= 11; i++) await wrong(`2001:db8:1:2::${i.toString(16)}`);
    expect((await right('2001:db8:1:2:ffff::1')).outcome).toBe('wait');
    expect((await right('2001:db8:1:3::1')).outcome).toBe('found');
    for (let i = 0; i < 11; i++) await wrong('::ffff:192.0.2.9');
    expect((await right('192.0.2.9')).outcome).toBe('wait');
  });

  it('lets no burst of parallel guesses past while the database answers', async () => {
    const { guard } = guardWithClock();
    let lookedUp = 0;
    const slowWrong = () =>
      guard.lookUp('192.0.2.1', async () => {
        lookedUp++;
        await new Promise((resolve) => setImmediate(resolve));
        return null;
      });
    const results = await Promise.all(Array.from({ length: 200 }, slowWrong));
    // Ten free and the one that starts the wait; the rest were refused before any was known wrong.
    expect(lookedUp).toBe(11);
    expect(results.filter((r) => r.outcome === 'wait')).toHaveLength(189);
  });

  it('counts a database failure as nothing and passes the error on', async () => {
    const { guard, right } = guardWithClock();
    for (let i = 0; i < 20; i++) {
      await expect(guard.lookUp('192.0.2.1', () => Promise.reject(new Error('database down')))).rejects.toThrow('database down');
    }
    expect(guard.trackedAddresses).toBe(0);
    expect((await right('192.0.2.1')).outcome).toBe('found');
  });
});

describe('all addresses together', () => {
  it('holds back everyone after a hundred wrong codes spread over many addresses, in growing waits of at most a minute', async () => {
    const { wrong, right, clock, warnings } = guardWithClock();
    for (let i = 0; i < 100; i++) expect((await wrong(`198.51.100.${i}`)).outcome).toBe('not-found');
    expect(await wrong('203.0.113.1')).toEqual({ outcome: 'not-found' });
    // A fresh address with a right code waits too: the guesser could be anyone.
    expect(await right('203.0.113.2')).toEqual({ outcome: 'wait', retryAfterSeconds: 1 });
    expect(warnings).toHaveLength(1);
    const waits: number[] = [];
    for (let i = 0; i < 9; i++) {
      const refused = await right(`203.0.113.${10 + i}`);
      waits.push(waitOf(refused));
      clock.now += waitOf(refused) * 1000;
      expect((await wrong(`203.0.114.${i}`)).outcome).toBe('not-found');
    }
    // Doubling until they meet the pace at which everyone's wrong codes are forgotten (one
    // every 36 s), then between half a minute and the longest wait, one minute.
    expect(waits.slice(0, 6)).toEqual([1, 2, 4, 8, 16, 32]);
    for (const wait of waits.slice(6)) expect(wait === 32 || wait === 60).toBe(true);
    clock.now += MINUTE;
    expect((await right('203.0.113.99')).outcome).toBe('found');
  });

  it('keeps no entry for a flood of distinct addresses beyond what the overall allowance let through', async () => {
    const { guard, wrong, right, clock } = guardWithClock();
    for (let i = 0; i < 10_000; i++) {
      await wrong(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
      clock.now += 5;
    }
    // Each address tried once; only those looked up (the overall allowance and the few its
    // waits let through) have an entry.
    expect(guard.trackedAddresses).toBeLessThanOrEqual(110);
    clock.now += 3 * HOUR;
    await right('192.0.2.1');
    expect(guard.trackedAddresses).toBe(0);
  });
});

describe('address keys and messages', () => {
  it('keys IPv4 as it is and IPv6 by its /64', () => {
    expect(addressKey('192.0.2.1')).toBe('192.0.2.1');
    expect(addressKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(addressKey('2001:db8:0:1:2:3:4:5')).toBe('2001:db8:0:1::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('2001:0db8:0000:0001::1%eth0')).toBe('2001:db8:0:1::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
    expect(addressKey('')).toBe('');
  });

  it('tells how long to wait in seconds, and in minutes from one minute on', () => {
    expect(codeWaitMessage(1)).toBe('too many wrong codes, try again in 1 second');
    expect(codeWaitMessage(16)).toBe('too many wrong codes, try again in 16 seconds');
    expect(codeWaitMessage(60)).toBe('too many wrong codes, try again in 1 minute');
    expect(codeWaitMessage(512)).toBe('too many wrong codes, try again in 9 minutes');
  });
});
