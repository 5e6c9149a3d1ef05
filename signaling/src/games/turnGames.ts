import {
  memory,
  noughtsAndCrosses,
  withoutPlayer,
  type GameMove,
  type GameRules,
  type GameView,
  type MemoryState,
  type StartGame,
} from '../protocol/index.ts';

// The turn-based games the server runs, by kind: their pure rule modules (protocol/games/) and
// what becomes of a game when one of its players leaves for good, which the rules leave to the
// server.

/** A rule module with its state and options unknown to the engine: it only passes them back. */
export type AnyGameRules = GameRules<unknown, GameMove, GameView, unknown>;

export type TurnGameKind = Exclude<StartGame['kind'], 'drawing'>;

/**
 * What a player leaving for good does to a game: noughts and crosses is for two, so it ends;
 * memory goes on without them (their pairs stay, they are skipped in turn order).
 */
export type PlayerLeft = { readonly ends: true } | { readonly ends: false; readonly without: (state: unknown, playerId: string) => unknown };

export const TURN_GAMES: Record<TurnGameKind, { rules: AnyGameRules; playerLeft: PlayerLeft }> = {
  'noughts-and-crosses': { rules: noughtsAndCrosses as AnyGameRules, playerLeft: { ends: true } },
  memory: { rules: memory as AnyGameRules, playerLeft: { ends: false, without: (state, playerId) => withoutPlayer(state as MemoryState, playerId) } },
};

/** The options a start request carries for its game (none for noughts and crosses). */
export function optionsOf(request: Exclude<StartGame, { kind: 'drawing' }>): unknown {
  return request.kind === 'memory' ? request.options : {};
}
