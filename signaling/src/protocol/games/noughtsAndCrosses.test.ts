import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { noughtsAndCrosses as rules, type NoughtsState } from './noughtsAndCrosses.ts';
import { noughtsViewSchema, type Mark } from './schemas.ts';

// Properties of the noughts-and-crosses rules over any reachable game: random sequences of moves
// by the two players and by an onlooker, on any cell number (including ones that do not exist),
// in or out of turn, with a rematch whenever a game ends.

const PLAYERS = ['cross-peer', 'nought-peer'] as const;
const ONLOOKER = 'onlooker-peer';

/** The eight lines, worked out here again rather than taken from the module under test. */
const LINES: number[][] = [
  ...[0, 1, 2].map((row) => [0, 1, 2].map((col) => row * 3 + col)),
  ...[0, 1, 2].map((col) => [0, 1, 2].map((row) => row * 3 + col)),
  [0, 4, 8],
  [2, 4, 6],
];

function hasLine(cells: readonly (Mark | null)[], mark: Mark): boolean {
  return LINES.some((line) => line.every((cell) => cells[cell] === mark));
}

/** What the rules must answer, worked out from the state alone: null when the move is legal. */
function expectedRefusal(state: NoughtsState, who: string, cell: number): string | null {
  if (state.turn === null) return 'game-over';
  const mark = state.players.indexOf(who);
  if (mark < 0) return 'game-players-only';
  if (mark !== state.turn) return 'not-your-turn';
  if (!Number.isInteger(cell) || cell < 0 || cell > 8 || state.cells[cell] !== null) return 'illegal-move';
  return null;
}

/** Everything that must hold of any state the rules hand out. */
function checkInvariants(state: NoughtsState): void {
  const view = rules.view(state, null);
  expect(noughtsViewSchema.parse(view)).toEqual(view);
  const crosses = state.cells.filter((cell) => cell === 0).length;
  const noughts = state.cells.filter((cell) => cell === 1).length;
  // Turns alternate from the starter, so the starter has as many marks as the other or one more.
  const starterCount = state.starter === 0 ? crosses : noughts;
  const otherCount = state.starter === 0 ? noughts : crosses;
  expect(starterCount - otherCount).toBeGreaterThanOrEqual(0);
  expect(starterCount - otherCount).toBeLessThanOrEqual(1);
  if (state.winner !== null) {
    expect(state.turn).toBeNull();
    expect(state.draw).toBe(false);
    // A win is shown with a real line of three of the winner's marks.
    expect(LINES).toContainEqual(state.line);
    expect(state.line!.every((cell) => state.cells[cell] === state.winner)).toBe(true);
    // The loser has no line (the game stopped at the first one).
    expect(hasLine(state.cells, state.winner === 0 ? 1 : 0)).toBe(false);
  } else if (state.draw) {
    expect(state.turn).toBeNull();
    expect(state.line).toBeNull();
    expect(state.cells.every((cell) => cell !== null)).toBe(true);
    expect(hasLine(state.cells, 0) || hasLine(state.cells, 1)).toBe(false);
  } else {
    expect(state.turn).toBe((crosses + noughts) % 2 === 0 ? state.starter : 1 - state.starter);
    expect(state.line).toBeNull();
    expect(hasLine(state.cells, 0) || hasLine(state.cells, 1)).toBe(false);
    expect(state.cells.some((cell) => cell === null)).toBe(true);
  }
}

/** Any move by anyone, (`pick`) the player whose turn it is taking one of the empty cells, or a rematch once over. */
type Action = { who: string; cell: number } | { pick: number } | { rematch: true };
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ rematch: true as const }) },
  { weight: 4, arbitrary: fc.record({ pick: fc.nat() }) },
  { weight: 6, arbitrary: fc.record({ who: fc.constantFrom(PLAYERS[0], PLAYERS[1], ONLOOKER), cell: fc.integer({ min: -2, max: 10 }) }) },
  { weight: 1, arbitrary: fc.record({ who: fc.constantFrom(PLAYERS[0], PLAYERS[1]), cell: fc.constantFrom(0.5, Number.NaN, 1e9) }) },
);

describe('noughts and crosses rules (property-based)', () => {
  it('from any reachable state accepts exactly the legal moves, and a refused move changes nothing', () => {
    const reached = new Map<string, number>();
    fc.assert(
      fc.property(fc.array(actionArb, { maxLength: 120, size: 'max' }), (actions) => {
        let state = rules.start(PLAYERS, {}, Math.random);
        let legalMovesThisGame = 0;
        for (const action of actions) {
          if ('rematch' in action) {
            if (!rules.isOver(state)) continue;
            const rematch = rules.rematch(state, Math.random);
            // Who starts alternates on rematch.
            expect(rematch.starter).toBe(state.starter === 0 ? 1 : 0);
            expect(rematch.turn).toBe(rematch.starter);
            expect(rematch.players).toEqual(state.players);
            checkInvariants(rematch);
            state = rematch;
            legalMovesThisGame = 0;
            continue;
          }
          const empty = state.cells.flatMap((value, index) => (value === null ? [index] : []));
          const { who, cell } = 'pick' in action ? { who: PLAYERS[state.turn ?? 0], cell: empty[action.pick % empty.length] ?? 0 } : action;
          const before = structuredClone(state);
          const expected = expectedRefusal(state, who, cell);
          const outcome = rules.move(state, who, { kind: 'noughts-and-crosses', cell });
          reached.set(outcome.ok ? 'accepted' : outcome.reason, (reached.get(outcome.ok ? 'accepted' : outcome.reason) ?? 0) + 1);
          if (!outcome.ok) {
            expect(outcome.reason).toBe(expected);
            expect(state).toEqual(before);
          } else {
            expect(expected).toBeNull();
            // Exactly the chosen cell changed, to the mover's mark.
            const mark = PLAYERS.indexOf(who as (typeof PLAYERS)[number]);
            expect(outcome.state.cells).toEqual(before.cells.map((value, index) => (index === cell ? mark : value)));
            expect(state).toEqual(before);
            state = outcome.state;
            legalMovesThisGame += 1;
            // Every game ends within nine legal moves: each fills one of nine empty cells.
            expect(legalMovesThisGame).toBeLessThanOrEqual(9);
          }
          checkInvariants(state);
          if (outcome.ok && rules.isOver(state)) reached.set(state.draw ? 'draw' : 'win', (reached.get(state.draw ? 'draw' : 'win') ?? 0) + 1);
        }
      }),
      { numRuns: 200 },
    );
    // The runs did reach every refusal, wins and draws (and so rematches).
    for (const what of ['accepted', 'win', 'draw', 'game-over', 'game-players-only', 'not-your-turn', 'illegal-move']) expect(reached.get(what) ?? 0, what).toBeGreaterThan(10);
  });

  it('every game played with legal moves ends within nine moves, in a win with a line or a draw', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 9, maxLength: 9 }), fc.constantFrom<Mark>(0, 1), (choices, starter) => {
        let state = starter === 0 ? rules.start(PLAYERS, {}, Math.random) : rules.rematch(rules.start(PLAYERS, {}, Math.random), Math.random);
        let moves = 0;
        while (!rules.isOver(state)) {
          const empty = state.cells.flatMap((value, index) => (value === null ? [index] : []));
          const cell = empty[choices[moves]! % empty.length]!;
          const outcome = rules.move(state, PLAYERS[state.turn!], { kind: 'noughts-and-crosses', cell });
          if (!outcome.ok) throw new Error(`a legal move was refused: ${outcome.reason}`);
          state = outcome.state;
          moves += 1;
        }
        expect(moves).toBeLessThanOrEqual(9);
        expect(state.winner !== null || state.draw).toBe(true);
        checkInvariants(state);
      }),
      { numRuns: 300 },
    );
  });

  it('who starts alternates over any number of rematches', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), (rematches) => {
        let state = rules.start(PLAYERS, {}, Math.random);
        const starters: Mark[] = [state.starter];
        for (let game = 0; game < rematches; game += 1) {
          state = rules.rematch(state, Math.random);
          starters.push(state.starter);
        }
        expect(starters).toEqual(starters.map((_, game) => (game % 2 === 0 ? 0 : 1)));
      }),
    );
  });
});

describe('noughts and crosses rules (examples)', () => {
  function play(state: NoughtsState, cells: number[]): NoughtsState {
    return cells.reduce((current, cell) => {
      const outcome = rules.move(current, PLAYERS[current.turn!], { kind: 'noughts-and-crosses', cell });
      if (!outcome.ok) throw new Error(`cell ${cell} refused: ${outcome.reason}`);
      return outcome.state;
    }, state);
  }

  it('the cross wins with the top row, shown as a line, and nobody may move after', () => {
    // X . .     X X X
    // O O .  -> O O .
    // . . .     . . .
    const won = play(rules.start(PLAYERS, {}, Math.random), [0, 3, 1, 4, 2]);
    expect(rules.view(won, ONLOOKER)).toMatchObject({ winner: 0, line: [0, 1, 2], turn: null, draw: false });
    expect(rules.move(won, PLAYERS[1], { kind: 'noughts-and-crosses', cell: 8 })).toEqual({ ok: false, reason: 'game-over' });
  });

  it('a full board without three in a row is a draw', () => {
    // X O X
    // X O O
    // O X X
    const drawn = play(rules.start(PLAYERS, {}, Math.random), [0, 1, 2, 4, 3, 5, 7, 6, 8]);
    expect(rules.view(drawn, null)).toMatchObject({ winner: null, line: null, turn: null, draw: true });
  });

  it('the nought starts the rematch, and an onlooker may not move', () => {
    const won = play(rules.start(PLAYERS, {}, Math.random), [0, 3, 1, 4, 2]);
    const rematch = rules.rematch(won, Math.random);
    expect(rematch.turn).toBe(1);
    expect(rules.move(rematch, PLAYERS[0], { kind: 'noughts-and-crosses', cell: 4 })).toEqual({ ok: false, reason: 'not-your-turn' });
    expect(rules.move(rematch, ONLOOKER, { kind: 'noughts-and-crosses', cell: 4 })).toEqual({ ok: false, reason: 'game-players-only' });
  });
});
