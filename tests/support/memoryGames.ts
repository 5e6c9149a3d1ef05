import fc from 'fast-check';
import { expect } from 'vitest';
import { MEMORY_PICTURE_COUNT } from '../../signaling/src/protocol/games/schemas.ts';

// What the memory rules' tests both need (signaling/src/protocol/games/memory.test.ts, the
// properties and examples, and memory.model.test.ts, the model-based run): a replayable random
// source, the players, the games they start and the deck check.

/** A seeded source for `random`, so a failing case replays exactly (mulberry32, as the fuzzing uses). */
export { seededRandom as seeded } from './fuzz.ts';

/** The players' ids, up to four; a game takes the first `players` of them. */
export const PEERS = ['peer-a', 'peer-b', 'peer-c', 'peer-d'];

/** A game to start: how many play (2 to 4), how many cards, and the seed of its random source. */
export const setupArb = fc.record({ players: fc.integer({ min: 2, max: 4 }), cards: fc.constantFrom(8 as const, 12 as const, 16 as const), seed: fc.integer() });

/** The deck must be pairs of different pictures from the set. */
export function checkDeck(deck: readonly number[], cards: number): void {
  expect(deck).toHaveLength(cards);
  const counts = new Map<number, number>();
  for (const picture of deck) counts.set(picture, (counts.get(picture) ?? 0) + 1);
  expect(counts.size).toBe(cards / 2);
  for (const [picture, count] of counts) {
    expect(Number.isInteger(picture) && picture >= 0 && picture < MEMORY_PICTURE_COUNT).toBe(true);
    expect(count).toBe(2);
  }
}
