import { z } from 'zod';
import { GAME_REFUSAL_REASONS } from './games/schemas.ts';

/** The only error codes a client ever sees; each maps to one kind of failure. */
export const ERROR_CODES = [
  'validation',
  'forbidden',
  'not-found',
  'invalid-state',
  'rate-limited',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Finer reasons a client shows its own translated message for. */
export const ERROR_REASONS = [
  'room-full',
  'server-draining',
  'room-locked',
  'invitation-invalid',
  'invitation-required',
  'host-only',
  /** A host action aimed at the host's own place (leaving is leaveRoom). */
  'not-yourself',
  /** Chat is off in this room (always where children take part). */
  'chat-off',
  /** A session invitation used before its time (see startsAt). */
  'session-not-started',
  /** Storytime is only for storytime rooms and open rooms. */
  'storytime-not-allowed',
  /** Only the reader (or a host) may open, close, point or hand over the turning. */
  'storytime-reader-only',
  /** Only the one turning the pages (or a host) may turn them. */
  'storytime-turner-only',
  /** "Look here" is for the listeners; the reader points instead. */
  'storytime-listener-only',
  'storytime-no-book',
  'page-out-of-range',
  /**
   * A resume named a place (participant or lobby guest) the room no longer keeps: the reconnect
   * grace passed, the person was removed, or the credential is not this tab's. Join afresh.
   */
  'place-gone',
  /** A resume of a place a host removed, turned away from the lobby, or whose session ended. */
  'removed-by-host',
  'lobby-denied',
  'session-ended',
  ...GAME_REFUSAL_REASONS,
] as const;
export type ErrorReason = (typeof ERROR_REASONS)[number];

export const replyErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  reason: z.enum(ERROR_REASONS).optional(),
  /** With 'session-not-started': when the session starts (ISO 8601), for "come back then". */
  startsAt: z.string().optional(),
});
export type ReplyError = z.infer<typeof replyErrorSchema>;

/** Every acknowledgement has this one shape. */
export type Reply<T> = { ok: true; data: T } | { ok: false; error: ReplyError };

export function okReply<T>(data: T): Reply<T> {
  return { ok: true, data };
}

export function errorReply(code: ErrorCode, message: string, reason?: ErrorReason): Reply<never> {
  return { ok: false, error: reason ? { code, message, reason } : { code, message } };
}
