import { SignalingError } from '../../signaling/src/errors.ts';

/**
 * The refusal `fn` throws, as "code/reason" (`invalid-state/not-your-turn`); anything else it
 * throws is rethrown, and returning normally fails the test.
 */
export function refusalOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof SignalingError) return `${error.code}/${error.reason}`;
    throw error;
  }
  throw new Error('expected a refusal');
}
