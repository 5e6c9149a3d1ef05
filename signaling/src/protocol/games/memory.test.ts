import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dealDeck, memory as rules, shuffled, withoutPlayer, type MemoryState } from './memory.ts';
import { checkDeck, PEERS, seeded, setupArb } from '../../../../tests/support/memoryGames.ts';
import { MEMORY_MISS_SHOW_MS } from './schemas.ts';

// Properties of the memory rules that need no model (every game can be finished, and quickly;
// the deal) and worked examples of a game. The model-based run of random commands against the
// rules is in memory.model.test.ts.

/**
 * Plays to the end from `state` as players who remember every picture they have seen (and only
 * what a view shows), counting flips and settles.
 *
 * Bound: with p pairs unmatched, each turn ends in a match (at most p of them) or a miss. This
 * player flips a known pair if there is one (a match); otherwise an unseen card X, then X's
 * partner if it has been seen (a match), otherwise another unseen card Y. A miss therefore needs
 * X, Y and both their partners unseen and makes X and Y seen, so from a fresh deal (2p unseen)
 * there are at most p - 1 misses: at most 2p - 1 turns, 4p - 2 flips, p - 1 settles. From any
 * reachable state one more miss may be in progress (a card already up, or a miss being shown),
 * so at most 4p + 2 flips and p + 1 settles. Every game can thus be finished, and quickly.
 */
function playToEnd(start: MemoryState): { state: MemoryState; flips: number; settles: number } {
  let state = start;
  let flips = 0;
  let settles = 0;
  const seen = new Map<number, number>();
  const look = () => rules.view(state, null).cards.forEach((card, index) => card.face === 'up' && seen.set(index, card.picture));
  const flip = (card: number) => {
    const outcome = rules.move(state, state.players[state.turn!]!, { kind: 'memory', card });
    if (!outcome.ok) throw new Error(`flip of ${card} refused: ${outcome.reason}`);
    state = outcome.state;
    flips += 1;
    look();
  };
  look();
  while (!rules.isOver(state)) {
    if (flips + settles > 1000) throw new Error('the game did not end');
    const view = rules.view(state, null);
    if (view.showingMiss) {
      state = rules.settle(state);
      settles += 1;
      continue;
    }
    const inPlay = (card: number) => view.cards[card]!.face !== 'matched';
    const down = view.cards.flatMap((card, index) => (card.face === 'down' ? [index] : []));
    const unseen = down.filter((card) => !seen.has(card));
    const partnerOf = (card: number) => down.find((other) => other !== card && seen.get(other) === seen.get(card));
    const up = view.cards.findIndex((card) => card.face === 'up');
    if (up >= 0) {
      flip(partnerOf(up) ?? unseen[0]!);
      continue;
    }
    const knownPair = down.find((card) => seen.has(card) && inPlay(card) && partnerOf(card) !== undefined);
    flip(knownPair ?? unseen[0]!);
  }
  return { state, flips, settles };
}

describe('memory rules (every game ends)', () => {
  it('from any reachable state, players who remember what they saw finish within the bound', () => {
    fc.assert(
      fc.property(setupArb, fc.array(fc.tuple(fc.nat(), fc.boolean()), { maxLength: 60 }), ({ players, cards, seed }, steps) => {
        let state = rules.start(PEERS.slice(0, players), { cards }, seeded(seed));
        const fresh = playToEnd(state);
        expect(fresh.flips).toBeLessThanOrEqual(4 * (cards / 2) - 2);
        expect(fresh.settles).toBeLessThanOrEqual(cards / 2 - 1);
        // Reach a random state by random accepted flips and settles, then finish from there.
        for (const [pick, settle] of steps) {
          if (rules.isOver(state)) break;
          if (settle || rules.pendingMs(state) !== null) {
            state = rules.settle(state);
            continue;
          }
          const legal = state.deck.flatMap((_, card) => (rules.move(state, state.players[state.turn!]!, { kind: 'memory', card }).ok ? [card] : []));
          const outcome = rules.move(state, state.players[state.turn!]!, { kind: 'memory', card: legal[pick % legal.length]! });
          if (outcome.ok) state = outcome.state;
        }
        const pairs = state.matchedBy.filter((by) => by === null).length / 2;
        const rest = playToEnd(state);
        expect(rest.flips).toBeLessThanOrEqual(4 * pairs + 2);
        expect(rest.settles).toBeLessThanOrEqual(pairs + 1);
        expect(rest.state.scores.reduce((sum, score) => sum + score, 0)).toBe(cards / 2);
      }),
      { numRuns: 200 },
    );
  });
});

describe('memory rules (dealing)', () => {
  it('deals pairs of different pictures from the set, for every card count and any random source', () => {
    fc.assert(
      fc.property(fc.constantFrom(8, 12, 16), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1 }), (cards, values) => {
        let i = 0;
        checkDeck(dealDeck(cards, () => values[i++ % values.length]!), cards);
      }),
    );
  });

  it('shuffles into every order (Fisher-Yates)', () => {
    const random = seeded(7);
    const orders = new Set<string>();
    for (let round = 0; round < 200; round += 1) orders.add(shuffled(['a', 'b', 'c'], random).join(''));
    expect([...orders].sort()).toEqual(['abc', 'acb', 'bac', 'bca', 'cab', 'cba']);
  });
});

describe('memory rules (examples)', () => {
  /** A game of 8 cards for two, and where each picture lies. */
  function newGame() {
    const state = rules.start(['grandma', 'child'], { cards: 8 }, seeded(1));
    const pairsOf = new Map<number, number[]>();
    state.deck.forEach((picture, card) => pairsOf.set(picture, [...(pairsOf.get(picture) ?? []), card]));
    return { state, pairs: [...pairsOf.values()] };
  }
  function flip(state: MemoryState, who: string, card: number): MemoryState {
    const outcome = rules.move(state, who, { kind: 'memory', card });
    if (!outcome.ok) throw new Error(`${who} could not flip ${card}: ${outcome.reason}`);
    return outcome.state;
  }

  it('a pair found stays face up and the finder goes again, to a win', () => {
    const { state: start, pairs } = newGame();
    // Grandma finds the first pair and goes again; she misses, the child gets the other three.
    let state = flip(flip(start, 'grandma', pairs[0]![0]!), 'grandma', pairs[0]![1]!);
    expect(rules.view(state, 'child')).toMatchObject({ turn: 0, scores: [1, 0] });
    state = rules.settle(flip(flip(state, 'grandma', pairs[1]![0]!), 'grandma', pairs[2]![0]!));
    for (const [a, b] of pairs.slice(1)) state = flip(flip(state, 'child', a!), 'child', b!);
    const view = rules.view(state, 'grandma');
    expect(view).toMatchObject({ turn: null, scores: [1, 3], winners: [1], showingMiss: false });
    expect(view.cards.every((card) => card.face === 'matched')).toBe(true);
    expect(rules.move(state, 'child', { kind: 'memory', card: 0 })).toEqual({ ok: false, reason: 'game-over' });
  });

  it('a miss stays face up until the server settles it, and only then passes the turn', () => {
    const { state: start, pairs } = newGame();
    const missed = flip(flip(start, 'grandma', pairs[0]![0]!), 'grandma', pairs[1]![0]!);
    expect(rules.view(missed, 'child')).toMatchObject({ turn: 0, showingMiss: true });
    expect(rules.pendingMs(missed)).toBe(MEMORY_MISS_SHOW_MS);
    expect(rules.move(missed, 'grandma', { kind: 'memory', card: pairs[2]![0]! })).toEqual({ ok: false, reason: 'wait-for-cards' });
    expect(rules.move(missed, 'child', { kind: 'memory', card: pairs[2]![0]! })).toEqual({ ok: false, reason: 'not-your-turn' });
    const settled = rules.settle(missed);
    expect(rules.view(settled, 'child')).toMatchObject({ turn: 1, showingMiss: false });
    expect(rules.view(settled, 'child').cards.every((card) => card.face === 'down')).toBe(true);
    expect(rules.pendingMs(settled)).toBeNull();
    // A timer that fires again changes nothing.
    expect(rules.settle(settled)).toBe(settled);
  });

  it('a player who leaves a game of three is skipped and cannot win', () => {
    const start = rules.start(['grandma', 'child', 'cousin'], { cards: 8 }, seeded(2));
    const first = start.deck.indexOf(start.deck[0]!, 1);
    // Grandma finds a pair, then leaves while it is still her turn.
    const scored = flip(flip(start, 'grandma', 0), 'grandma', first);
    const left = withoutPlayer(scored, 'grandma');
    expect(rules.view(left, null)).toMatchObject({ turn: 1, scores: [1, 0, 0] });
    expect(rules.move(left, 'grandma', { kind: 'memory', card: 1 })).toEqual({ ok: false, reason: 'game-players-only' });
    const { state: end } = playToEnd(left);
    expect(rules.view(end, null).winners).not.toContain(0);
  });

  it('a rematch deals a fresh deck and the next player starts', () => {
    const { state: start, pairs } = newGame();
    let state = start;
    for (const [a, b] of pairs) state = flip(flip(state, 'grandma', a!), 'grandma', b!);
    const rematch = rules.rematch(state, seeded(3));
    expect(rules.view(rematch, null)).toMatchObject({ turn: 1, scores: [0, 0], winners: [] });
    checkDeck(rematch.deck, 8);
  });
});
