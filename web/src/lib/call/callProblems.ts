import type { NotificationPayload } from '@tupa/signaling/protocol';
import { RequestError } from './signalingClient.ts';

/** What to explain to the person when the call is not (or no longer) running. */
export type CallProblem =
  | 'outdated'
  | 'room-not-found'
  | 'join-failed'
  | 'room-full'
  | 'server-draining'
  | 'replaced'
  | 'room-closed'
  | 'server-shutdown'
  | 'room-locked'
  | 'invitation-invalid'
  | 'session-not-started'
  | 'lobby-denied'
  | 'removed-by-host'
  | 'session-ended'
  /** Away longer than the server keeps a place: join again. */
  | 'place-gone'
  /** The same, for a place in the lobby's queue. */
  | 'queue-place-gone'
  /** Refused for now (too many wrong codes from this network, too many requests): wait, then again. */
  | 'too-many-tries';

type RemovalReason = NotificationPayload<'removed'>['reason'];

const REMOVALS: Partial<Record<RemovalReason, CallProblem>> = {
  replaced: 'replaced',
  'room-closed': 'room-closed',
  'server-shutdown': 'server-shutdown',
  'lobby-denied': 'lobby-denied',
  'removed-by-host': 'removed-by-host',
  'session-ended': 'session-ended',
};

/** What to tell the person about a join the server refused (or that failed on the way). */
export function problemForJoinError(error: unknown): CallProblem {
  if (!(error instanceof RequestError) || error.request !== 'joinRoom') return 'join-failed';
  if (error.reason === 'room-full') return 'room-full';
  if (error.reason === 'server-draining') return 'server-draining';
  if (error.reason === 'room-locked') return 'room-locked';
  if (error.reason === 'invitation-invalid' || error.reason === 'invitation-required') return 'invitation-invalid';
  if (error.reason === 'session-not-started') return 'session-not-started';
  if (error.reason === 'place-gone') return 'place-gone';
  // A resume of a place that ended while the tab was away: the same words as if it had been there.
  if (error.reason === 'removed-by-host' || error.reason === 'lobby-denied' || error.reason === 'session-ended') return error.reason;
  if (error.code === 'not-found') return 'room-not-found';
  if (error.code === 'rate-limited') return 'too-many-tries';
  return 'join-failed';
}

/** Problems after which the door is closed to this person: no "join again". */
export function isFinal(problem: CallProblem): boolean {
  return problem === 'lobby-denied' || problem === 'removed-by-host' || problem === 'session-ended';
}

/** What to tell the person the server ended their place with; reasons without words of their own end plainly. */
export function problemForRemoval(reason: RemovalReason): CallProblem {
  return REMOVALS[reason] ?? 'room-closed';
}
