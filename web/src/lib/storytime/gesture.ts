// Telling a swipe (turn the page) from a tap (look here) or pointing (moving a finger about).

/** How far a finger must travel sideways to turn a page, in CSS pixels. */
export const SWIPE_MIN_DISTANCE = 60;
/** A tap moves less than this. */
export const TAP_MAX_DISTANCE = 12;
/** A tap is shorter than this; a longer touch is pointing, not tapping. */
export const TAP_MAX_DURATION_MS = 600;
/** A swipe is quicker than this; slower sideways movement is pointing. */
export const SWIPE_MAX_DURATION_MS = 900;

export type Gesture = 'next' | 'previous' | 'tap' | 'none';

/**
 * What a finished touch or press meant, from where it started and ended and how long it took.
 * A swipe is clearly sideways (twice as far across as up or down); swiping to the left (the way
 * a paper page is turned) goes to the next page.
 */
export function classifyGesture(dx: number, dy: number, durationMs: number): Gesture {
  const distance = Math.hypot(dx, dy);
  if (distance < TAP_MAX_DISTANCE) return durationMs <= TAP_MAX_DURATION_MS ? 'tap' : 'none';
  const sideways = Math.abs(dx) >= SWIPE_MIN_DISTANCE && Math.abs(dx) >= 2 * Math.abs(dy);
  if (!sideways || durationMs > SWIPE_MAX_DURATION_MS) return 'none';
  return dx < 0 ? 'next' : 'previous';
}
