import { MediaInvalidStateError, MediaNotFoundError } from '@tupa/media-server';
import type { Logger } from 'pino';
import type { ErrorCode, ErrorReason, Permission, ReplyError } from './protocol/index.ts';

/** A failure whose code and message the client may see. */
export class SignalingError extends Error {
  readonly code: ErrorCode;
  readonly reason: ErrorReason | undefined;
  /** With 'session-not-started': when the session starts. */
  readonly startsAt: Date | undefined;

  constructor(code: ErrorCode, message: string, reason?: ErrorReason, startsAt?: Date) {
    super(message);
    this.name = 'SignalingError';
    this.code = code;
    this.reason = reason;
    this.startsAt = startsAt;
  }
}

export const validationError = (message: string) => new SignalingError('validation', message);
export const forbiddenError = (message: string, reason?: ErrorReason) =>
  new SignalingError('forbidden', message, reason);
/** A session invitation used too early: the person is told when to come back. */
export const sessionNotStartedError = (startsAt: Date) =>
  new SignalingError('forbidden', 'this session has not started yet', 'session-not-started', startsAt);
export const notFoundError = (message: string) => new SignalingError('not-found', message);
export const invalidStateError = (message: string, reason?: ErrorReason) =>
  new SignalingError('invalid-state', message, reason);
export const rateLimitedError = (message: string) => new SignalingError('rate-limited', message);

/**
 * Throws the permission's refusal as the SignalingError the client sees (its code, reason and
 * message), so every handler refuses the way the permission table says (protocol/permissions.ts).
 */
export function assertAllowed(permission: Permission): void {
  if (!permission.allowed) throw new SignalingError(permission.code, permission.message, permission.reason);
}

/**
 * The one place where thrown errors become reply errors. mediasoup throws TypeError for
 * parameters it rejects and UnsupportedError / InvalidStateError for state it cannot serve;
 * anything else is a bug, logged with context and hidden from the client.
 */
export function toReplyError(error: unknown, logger: Logger, context: Record<string, unknown>): ReplyError {
  if (error instanceof SignalingError) {
    if (!error.reason) return { code: error.code, message: error.message };
    return error.startsAt
      ? { code: error.code, message: error.message, reason: error.reason, startsAt: error.startsAt.toISOString() }
      : { code: error.code, message: error.message, reason: error.reason };
  }
  if (error instanceof MediaNotFoundError) return { code: 'not-found', message: error.message };
  if (error instanceof MediaInvalidStateError) return { code: 'invalid-state', message: error.message };
  if (error instanceof TypeError) {
    logger.debug({ ...context, err: error }, 'media parameters rejected');
    return { code: 'validation', message: 'invalid media parameters' };
  }
  if (error instanceof Error && (error.name === 'UnsupportedError' || error.name === 'InvalidStateError')) {
    return { code: 'invalid-state', message: error.message };
  }
  logger.error({ ...context, err: error }, 'request failed');
  return { code: 'internal', message: 'internal error' };
}
