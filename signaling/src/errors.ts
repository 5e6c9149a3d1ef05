import { MediaInvalidStateError, MediaNotFoundError } from '@tupa/media-server';
import type { Logger } from 'pino';
import type { ErrorCode, ErrorReason, GameRefusalReason, Permission, ReplyError } from './protocol/index.ts';

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
 * The reply code of every game refusal (protocol/games/schemas.ts), written once: what a rule
 * module or the drawing board refuses becomes a reply here. Who-may refusals come from the
 * permission table with the same codes (games/refusals.test.ts holds the two together): a
 * state of the game (its turn, a taken cell, a full board) is `invalid-state`; who one is
 * (a watcher, a guest) is `forbidden`; a hand faster than a hand is `rate-limited`. Players who
 * are not in the call are `invalid-state` too: they were there when the picker was shown.
 */
export const GAME_REFUSAL_CODES: Record<GameRefusalReason, ErrorCode> = {
  'game-not-allowed': 'invalid-state',
  'game-lead-only': 'forbidden',
  'game-players-only': 'forbidden',
  'game-none': 'invalid-state',
  'game-players-invalid': 'invalid-state',
  'game-over': 'invalid-state',
  'game-not-over': 'invalid-state',
  'not-your-turn': 'invalid-state',
  'illegal-move': 'invalid-state',
  'wait-for-cards': 'invalid-state',
  'board-full': 'invalid-state',
  'strokes-per-person': 'invalid-state',
  'drawing-too-fast': 'rate-limited',
  'stroke-too-long': 'invalid-state',
  'stroke-not-found': 'invalid-state',
  'nothing-to-undo': 'invalid-state',
};

const GAME_REFUSAL_MESSAGES: Record<GameRefusalReason, string> = {
  'game-not-allowed': 'games are for rooms children take part in',
  'game-lead-only': 'only a host, the reader or whoever started the game may do this',
  'game-players-only': 'only the players move; the others watch',
  'game-none': 'no such game is being played',
  'game-players-invalid': 'the players must be in the call, each once, as many as the game takes',
  'game-over': 'the game is over',
  'game-not-over': 'a rematch is for a game that is over',
  'not-your-turn': 'it is not your turn',
  'illegal-move': 'that move is not possible now',
  'wait-for-cards': 'the two cards are being shown; the turn passes in a moment',
  'board-full': 'the board is full: a host or whoever opened it may clear it',
  'strokes-per-person': 'you have drawn as many strokes as one person may on this board',
  'drawing-too-fast': 'points came faster than a hand draws: slow down',
  'stroke-too-long': 'this stroke is as long as a stroke may be: lift the finger and draw on',
  'stroke-not-found': 'no stroke of yours with this key is being drawn',
  'nothing-to-undo': 'nothing of yours to undo on this board',
};

/** A game request refused for `reason`, with its one code (GAME_REFUSAL_CODES) and a message. */
export function gameRefusal(reason: GameRefusalReason, message: string = GAME_REFUSAL_MESSAGES[reason]): SignalingError {
  return new SignalingError(GAME_REFUSAL_CODES[reason], message, reason);
}

/**
 * Throws the permission's refusal as the SignalingError the client sees (its code, reason and
 * message), so every handler refuses the way the permission table says (protocol/permissions.ts).
 */
export function assertAllowed(permission: Permission): void {
  if (!permission.allowed) throw new SignalingError(permission.code, permission.message, permission.reason);
}

/**
 * The one place where thrown errors become reply errors. mediasoup throws TypeError for
 * parameters it rejects and UnsupportedError / InvalidStateError for state it cannot serve, so
 * for a media request (`mediaRequest`) a TypeError is the client's `validation`; anywhere else
 * a TypeError is a bug like any other error: logged with context and hidden from the client as
 * `internal`, never passed off as the client's fault.
 */
export function toReplyError(error: unknown, logger: Logger, context: Record<string, unknown>, mediaRequest = false): ReplyError {
  if (error instanceof SignalingError) {
    if (!error.reason) return { code: error.code, message: error.message };
    return error.startsAt
      ? { code: error.code, message: error.message, reason: error.reason, startsAt: error.startsAt.toISOString() }
      : { code: error.code, message: error.message, reason: error.reason };
  }
  if (error instanceof MediaNotFoundError) return { code: 'not-found', message: error.message };
  if (error instanceof MediaInvalidStateError) return { code: 'invalid-state', message: error.message };
  if (error instanceof TypeError && mediaRequest) {
    logger.debug({ ...context, err: error }, 'media parameters rejected');
    return { code: 'validation', message: 'invalid media parameters' };
  }
  if (error instanceof Error && (error.name === 'UnsupportedError' || error.name === 'InvalidStateError')) {
    return { code: 'invalid-state', message: error.message };
  }
  logger.error({ ...context, err: error }, 'request failed');
  return { code: 'internal', message: 'internal error' };
}
