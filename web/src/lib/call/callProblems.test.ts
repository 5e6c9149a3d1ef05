import { describe, expect, it } from 'vitest';
import { problemForJoinError, problemForRemoval } from './callProblems.ts';
import { RequestError, retryDelayMs } from './signalingClient.ts';

const refused = (code: 'forbidden' | 'not-found' | 'invalid-state', reason?: ConstructorParameters<typeof RequestError>[3]) =>
  new RequestError('joinRoom', code, 'refused', reason);

describe('what a person is told', () => {
  it('names each refused join by its reason', () => {
    expect(problemForJoinError(refused('invalid-state', 'room-full'))).toBe('room-full');
    expect(problemForJoinError(refused('invalid-state', 'server-draining'))).toBe('server-draining');
    expect(problemForJoinError(refused('forbidden', 'room-locked'))).toBe('room-locked');
    expect(problemForJoinError(refused('forbidden', 'invitation-required'))).toBe('invitation-invalid');
    expect(problemForJoinError(refused('forbidden', 'invitation-invalid'))).toBe('invitation-invalid');
    expect(problemForJoinError(refused('forbidden', 'session-not-started'))).toBe('session-not-started');
    expect(problemForJoinError(refused('not-found'))).toBe('room-not-found');
    // A resume whose place the server no longer keeps is not a missing room.
    expect(problemForJoinError(refused('not-found', 'place-gone'))).toBe('place-gone');
    // A place that ended while the tab was away is told as if it had been there.
    expect(problemForJoinError(refused('forbidden', 'removed-by-host'))).toBe('removed-by-host');
    expect(problemForJoinError(refused('forbidden', 'lobby-denied'))).toBe('lobby-denied');
    expect(problemForJoinError(refused('forbidden', 'session-ended'))).toBe('session-ended');
    // Held back for a moment (wrong codes from the same network): wait and try again.
    expect(problemForJoinError(new RequestError('joinRoom', 'rate-limited', 'too many wrong codes, try again in 8 seconds'))).toBe(
      'too-many-tries',
    );
  });

  it('says only that joining failed for anything else', () => {
    expect(problemForJoinError(new Error('socket closed'))).toBe('join-failed');
    expect(problemForJoinError(new RequestError('produce', 'not-found', 'gone'))).toBe('join-failed');
    expect(problemForJoinError(refused('forbidden'))).toBe('join-failed');
  });

  it('explains each way the server ends a place, and ends plainly otherwise', () => {
    expect(problemForRemoval('removed-by-host')).toBe('removed-by-host');
    expect(problemForRemoval('session-ended')).toBe('session-ended');
    expect(problemForRemoval('lobby-denied')).toBe('lobby-denied');
    expect(problemForRemoval('replaced')).toBe('replaced');
  });
});

describe('how a tab that lost its connection keeps trying', () => {
  it('waits 1, 2, 4, 8, then at most 10 s, each spread by half either way', () => {
    const middle = () => 0.5;
    expect([1, 2, 3, 4, 5, 9].map((n) => retryDelayMs(n, middle))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(retryDelayMs(3, () => 0)).toBe(2000);
    expect(retryDelayMs(3, () => 0.999)).toBe(5996);
  });

  it('spreads a venue\'s tabs apart instead of sending them back in one burst', () => {
    const delays = Array.from({ length: 48 }, () => retryDelayMs(2));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(1000);
    expect(Math.max(...delays)).toBeLessThan(3000);
    expect(new Set(delays).size).toBeGreaterThan(24);
  });
});
