import type { GameRules, MoveOutcome, Players } from './rules.ts';
import { MEMORY_MISS_SHOW_MS, MEMORY_PICTURE_COUNT, type MemoryCardView, type MemoryOptions, type MemoryView } from './schemas.ts';

// Memory (pairs): 2 to 4 players take turns flipping two face-down cards. Two cards with the
// same picture stay face up as the finder's pair and the finder goes again; two that differ stay
// face up for MEMORY_MISS_SHOW_MS so everyone can see them, then the server applies `settle`,
// which turns them face down and passes the turn on. The game is over when every card is matched;
// the players with the most pairs win (a tie has several winners).
//
// The deck (which picture lies where) stays in the state, which never leaves the server: `view`
// shows a picture only for cards that are face up or matched.
//
// Waiting: `pendingMs` is MEMORY_MISS_SHOW_MS while a miss is shown and null in every other state
// (nothing to wait for). `settle` on a state that is not waiting returns that same state object
// unchanged, so a timer that fires late (after a rematch or a player leaving) is harmless.
//
// A player who leaves for good (`withoutPlayer`) keeps their seat in `players` and their pairs
// on the board (the cards stay matched "by" them), but is skipped in turn order and cannot win.
// Noughts and crosses has no such helper: with two players, one leaving ends the game.

/** The whole game, server side only. Cards are numbered 0..cards-1, row by row on screen. */
export interface MemoryState {
  readonly players: Players;
  /** The picture (0..MEMORY_PICTURE_COUNT-1) on each card: each picture on exactly two cards. */
  readonly deck: readonly number[];
  /** Index into `players` of who matched each card, or null while it is still in play. */
  readonly matchedBy: readonly (number | null)[];
  /** Cards flipped this turn and not matched: none, one, or two (a miss being shown). */
  readonly faceUp: readonly number[];
  /** Pairs found by each player, in the order of `players`. */
  readonly scores: readonly number[];
  /** Index into `players` of whose turn it is; null once every card is matched. */
  readonly turn: number | null;
  /** Who had the first turn this game; the next player starts the rematch. */
  readonly starter: number;
  /** Players who left for good: skipped in turn order, never among the winners. */
  readonly left: readonly boolean[];
}

export type MemoryMove = { readonly kind: 'memory'; readonly card: number };

/** A whole number in 0..below-1 from `random()` in [0, 1); clamped so a source returning 1 cannot overrun. */
function randomIndex(random: () => number, below: number): number {
  return Math.min(below - 1, Math.max(0, Math.floor(random() * below)));
}

/** Fisher-Yates (Durstenfeld) shuffle of a copy: every order equally likely given a fair `random`. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = randomIndex(random, i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * A fresh deck of `cards` cards (8, 12 or 16): cards/2 different pictures chosen at random from
 * the MEMORY_PICTURE_COUNT in the set, each twice, shuffled. Throws RangeError for a count the
 * set cannot fill (the request schema allows only 8, 12 and 16).
 */
export function dealDeck(cards: number, random: () => number): number[] {
  const pairs = cards / 2;
  if (!Number.isInteger(pairs) || pairs < 1 || pairs > MEMORY_PICTURE_COUNT) throw new RangeError(`cannot deal ${cards} memory cards`);
  const pictures = shuffled(Array.from({ length: MEMORY_PICTURE_COUNT }, (_, picture) => picture), random).slice(0, pairs);
  return shuffled([...pictures, ...pictures], random);
}

/** The next player after `from` (wrapping) who has not left; `from` itself if nobody else remains. */
function nextPlayer(left: readonly boolean[], from: number): number {
  for (let step = 1; step <= left.length; step += 1) {
    const candidate = (from + step) % left.length;
    if (!left[candidate]) return candidate;
  }
  return from;
}

function dealt(players: Players, deck: number[], starter: number, left: readonly boolean[]): MemoryState {
  return {
    players,
    deck,
    matchedBy: deck.map(() => null),
    faceUp: [],
    scores: players.map(() => 0),
    turn: starter,
    starter,
    left,
  };
}

/** The players (indices) with the most pairs among those still here; empty until the game is over. */
export function memoryWinners(state: MemoryState): number[] {
  if (state.turn !== null) return [];
  const staying = state.scores.map((score, index) => ({ score, index })).filter(({ index }) => !state.left[index]);
  const best = Math.max(...staying.map(({ score }) => score));
  return staying.filter(({ score }) => score === best).map(({ index }) => index);
}

/**
 * The game without `playerId`, who left for good: their pairs stay on the board but they are
 * skipped in turn order and cannot win. If it was their turn, any card they had face up turns
 * back down and the turn passes on at once. A peer id that is not a player (or already left)
 * gives the same state back. If one player remains they play on alone (whether a game of two
 * should rather end is the server's choice); if nobody remains, no move is accepted any more.
 */
export function withoutPlayer(state: MemoryState, playerId: string): MemoryState {
  const index = state.players.indexOf(playerId);
  if (index < 0 || state.left[index]) return state;
  const left = state.left.map((gone, i) => gone || i === index);
  // Nobody left to play: the cards go down and the game waits for the server to end it.
  if (left.every(Boolean)) return { ...state, left, faceUp: [] };
  const starter = left[state.starter] ? nextPlayer(left, state.starter) : state.starter;
  if (state.turn !== index) return { ...state, left, starter };
  return { ...state, left, starter, faceUp: [], turn: nextPlayer(left, index) };
}

export const memory: GameRules<MemoryState, MemoryMove, MemoryView, MemoryOptions> = {
  kind: 'memory',
  minPlayers: 2,
  maxPlayers: 4,

  start(players, options, random) {
    return dealt(players, dealDeck(options.cards, random), 0, players.map(() => false));
  },

  rematch(previous, random) {
    return dealt(previous.players, dealDeck(previous.deck.length, random), nextPlayer(previous.left, previous.starter), previous.left);
  },

  move(state, playerId, move): MoveOutcome<MemoryState> {
    if (state.turn === null) return { ok: false, reason: 'game-over' };
    const player = state.players.indexOf(playerId);
    if (player < 0 || state.left[player]) return { ok: false, reason: 'game-players-only' };
    if (player !== state.turn) return { ok: false, reason: 'not-your-turn' };
    if (state.faceUp.length >= 2) return { ok: false, reason: 'wait-for-cards' };
    const { card } = move;
    if (!Number.isInteger(card) || card < 0 || card >= state.deck.length) return { ok: false, reason: 'illegal-move' };
    if (state.matchedBy[card] !== null || state.faceUp.includes(card)) return { ok: false, reason: 'illegal-move' };

    if (state.faceUp.length === 0) return { ok: true, state: { ...state, faceUp: [card] } };
    const first = state.faceUp[0]!;
    if (state.deck[first] !== state.deck[card]) return { ok: true, state: { ...state, faceUp: [first, card] } };

    const matchedBy = state.matchedBy.map((by, i) => (i === first || i === card ? player : by));
    const scores = state.scores.map((score, i) => (i === player ? score + 1 : score));
    const over = matchedBy.every((by) => by !== null);
    return { ok: true, state: { ...state, matchedBy, scores, faceUp: [], turn: over ? null : player } };
  },

  view(state): MemoryView {
    const cards = state.deck.map((picture, card): MemoryCardView => {
      const by = state.matchedBy[card];
      if (by !== null && by !== undefined) return { face: 'matched', picture, by };
      if (state.faceUp.includes(card)) return { face: 'up', picture };
      return { face: 'down' };
    });
    return {
      kind: 'memory',
      cards,
      scores: [...state.scores],
      turn: state.turn,
      showingMiss: state.faceUp.length === 2,
      winners: memoryWinners(state),
    };
  },

  isOver(state) {
    return state.turn === null;
  },

  pendingMs(state) {
    return state.faceUp.length === 2 ? MEMORY_MISS_SHOW_MS : null;
  },

  settle(state) {
    if (state.faceUp.length !== 2 || state.turn === null) return state;
    return { ...state, faceUp: [], turn: nextPlayer(state.left, state.turn) };
  },
};
