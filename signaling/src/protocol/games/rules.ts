import type { GameKind, GameRefusalReason } from './schemas.ts';

// The shape every turn-based game's rules share. A rule module is pure: state in, state out, no
// clock, no randomness of its own (the server passes `random`), no I/O. The server holds the
// state and applies moves through it; the browser imports the same module for its types and to
// know which moves to offer, and only ever sees `view`, never the state itself.

/** A move applied, or refused with a reason; a refused move leaves the state as it was. */
export type MoveOutcome<State> = { readonly ok: true; readonly state: State } | { readonly ok: false; readonly reason: GameRefusalReason };

/** Who takes part: peer ids in the order the game gives them their mark, colour or turn. */
export type Players = readonly string[];

/**
 * One game's rules.
 *
 * - `start` deals a new game for `players` (count within `minPlayers..maxPlayers`, checked by
 *   the caller); `random()` returns a float in [0, 1), the server's `crypto` source, so the
 *   module stays pure and tests can pass a seeded one.
 * - `rematch` deals again for the same players, the first turn moving on to the next player.
 * - `move` validates everything (turn order, legality, game over) and returns the next state or
 *   a refusal; it never throws for a move a client could send.
 * - `view` is what one person (a player or a watcher; null: nobody in particular) may see:
 *   hidden information (the memory deck) never appears in it.
 * - `pendingMs` says that the state waits for time to pass (two memory cards that did not match
 *   stay face up so everyone can see them) and how long; the server then applies `settle`.
 */
export interface GameRules<State, Move, View, Options> {
  readonly kind: GameKind;
  readonly minPlayers: number;
  readonly maxPlayers: number;
  start(players: Players, options: Options, random: () => number): State;
  rematch(previous: State, random: () => number): State;
  move(state: State, playerId: string, move: Move): MoveOutcome<State>;
  view(state: State, viewerId: string | null): View;
  isOver(state: State): boolean;
  pendingMs(state: State): number | null;
  settle(state: State): State;
}
