import type { GameRules, MoveOutcome, Players } from './rules.ts';
import type { Mark, NoughtsView } from './schemas.ts';

// Noughts and crosses (tic-tac-toe): two players on a 3 x 3 board, the cross (players[0]) and
// the nought (players[1]). Whoever starts alternates from game to game, as children expect
// ("you started last time"); three in a row wins, a full board without one is a draw.

/** The eight lines of three: rows, columns, diagonals (cells 0-8 row by row). */
export const NOUGHTS_LINES: readonly (readonly [number, number, number])[] = [
  [0, 1, 2], [3, 4, 5], [6, 7, 8],
  [0, 3, 6], [1, 4, 7], [2, 5, 8],
  [0, 4, 8], [2, 4, 6],
];

/** The whole game: nothing is hidden, so the state is the view plus the players. */
export interface NoughtsState {
  readonly players: Players;
  readonly cells: readonly (Mark | null)[];
  readonly starter: Mark;
  readonly turn: Mark | null;
  readonly winner: Mark | null;
  readonly line: readonly number[] | null;
  readonly draw: boolean;
}

export type NoughtsMove = { readonly kind: 'noughts-and-crosses'; readonly cell: number };

function dealt(players: Players, starter: Mark): NoughtsState {
  return { players, cells: Array<Mark | null>(9).fill(null), starter, turn: starter, winner: null, line: null, draw: false };
}

/** The line of three `mark` holds, if any. */
function lineOf(cells: readonly (Mark | null)[], mark: Mark): readonly number[] | null {
  return NOUGHTS_LINES.find((line) => line.every((cell) => cells[cell] === mark)) ?? null;
}

export const noughtsAndCrosses: GameRules<NoughtsState, NoughtsMove, NoughtsView, Record<string, never>> = {
  kind: 'noughts-and-crosses',
  minPlayers: 2,
  maxPlayers: 2,

  start(players) {
    return dealt(players, 0);
  },

  rematch(previous) {
    return dealt(previous.players, previous.starter === 0 ? 1 : 0);
  },

  move(state, playerId, move): MoveOutcome<NoughtsState> {
    if (state.turn === null) return { ok: false, reason: 'game-over' };
    const mark = state.players.indexOf(playerId);
    if (mark !== 0 && mark !== 1) return { ok: false, reason: 'game-players-only' };
    if (mark !== state.turn) return { ok: false, reason: 'not-your-turn' };
    const { cell } = move;
    if (!Number.isInteger(cell) || cell < 0 || cell > 8 || state.cells[cell] !== null) return { ok: false, reason: 'illegal-move' };
    const cells = state.cells.map((value, index) => (index === cell ? mark : value));
    const line = lineOf(cells, mark);
    const draw = line === null && cells.every((value) => value !== null);
    const over = line !== null || draw;
    return {
      ok: true,
      state: { ...state, cells, turn: over ? null : mark === 0 ? 1 : 0, winner: line ? mark : null, line, draw },
    };
  },

  view(state): NoughtsView {
    return {
      kind: 'noughts-and-crosses',
      cells: [...state.cells],
      turn: state.turn,
      starter: state.starter,
      winner: state.winner,
      line: state.line ? [...state.line] : null,
      draw: state.draw,
    };
  },

  isOver(state) {
    return state.turn === null;
  },

  pendingMs() {
    return null;
  },

  settle(state) {
    return state;
  },
};
