import { describe, expect, it } from 'vitest';
import { problemForJoinError, problemForRemoval } from './callProblems.ts';
import { RequestError } from './signaling.ts';

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
