import type { ErrorReason } from '@tupa/signaling/protocol';
import type { MessageKey } from '#lib/i18n/en.ts';

// What the board says when the server refuses a stroke, an undo or a clear. Written for the
// child and the grown-up beside them: what happened and what to do.

const MESSAGES: Partial<Record<ErrorReason, MessageKey>> = {
  'board-full': 'drawing.boardFull',
  'strokes-per-person': 'drawing.tooManyLines',
  'drawing-too-fast': 'drawing.tooFast',
  'stroke-too-long': 'drawing.lineTooLong',
  'stroke-not-found': 'drawing.lineLost',
  'nothing-to-undo': 'drawing.nothingToUndo',
};

/** How a failed request ended: the server's refusal reason, or only the connection's failure code. */
export interface Failure {
  reason: ErrorReason | null;
  /** The reply's error code, or 'disconnected' / 'timeout' when no reply came. */
  code: string | null;
}

/**
 * Reads a failed request's error (the signaling client's RequestError: `code`, `reason`)
 * without depending on the socket code, so the board can be tested with a plain function.
 */
export function failureOf(error: unknown): Failure {
  const fields = typeof error === 'object' && error !== null ? (error as { reason?: unknown; code?: unknown }) : {};
  return {
    reason: typeof fields.reason === 'string' ? (fields.reason as ErrorReason) : null,
    code: typeof fields.code === 'string' ? fields.code : null,
  };
}

/**
 * The message to show for a failure, or null when the board should stay quiet: a dropped
 * connection is shown by the call itself, and the board is reset once it is back.
 */
export function failureMessage(failure: Failure): MessageKey | null {
  if (failure.reason && MESSAGES[failure.reason]) return MESSAGES[failure.reason]!;
  if (failure.code === 'disconnected') return null;
  // The socket's own request budget (startStroke has one of its own): a storm of taps.
  if (failure.code === 'rate-limited') return 'drawing.tooFast';
  return 'drawing.failed';
}
