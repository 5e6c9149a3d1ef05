import type { GameState } from '@tupa/signaling/protocol';
import type { MessageKey } from '../i18n/languages.ts';

// How a player is told apart on the screen: never by colour alone. In noughts and crosses the
// first player has the cross and the second the nought (protocol/games/schemas.ts); in memory
// each seat has a colour and a shape together, the shape on their face and on the cards they
// found.

/** A memory seat's look: its colour, its shape, and the shape's name for screen readers. */
export interface Seat {
  colour: string;
  shape: 'circle' | 'square' | 'triangle' | 'star';
  name: MessageKey;
}

/** Up to four memory players (the rules' maximum), in turn order. */
export const SEATS: readonly Seat[] = [
  { colour: '#e8590c', shape: 'circle', name: 'games.seat0' },
  { colour: '#1c7ed6', shape: 'square', name: 'games.seat1' },
  { colour: '#2f9e44', shape: 'triangle', name: 'games.seat2' },
  { colour: '#ae3ec9', shape: 'star', name: 'games.seat3' },
];

/** The cross and the nought: distinct shapes and distinct colours. */
export const MARK_COLOURS = { cross: '#d6336c', nought: '#1971c2' } as const;

/** How a game ended, for the end screen: who won (peer ids; several in a memory tie), or a draw. */
export type Result = { kind: 'won'; winners: string[] } | { kind: 'draw' } | { kind: 'none' };

/** The result of a game that is over (`none` while it is played, and for a board). */
export function resultOf(game: GameState): Result {
  if (!game.over) return { kind: 'none' };
  const view = game.view;
  if (view.kind === 'noughts-and-crosses') {
    if (view.winner === null) return { kind: 'draw' };
    const winner = game.players[view.winner];
    return winner ? { kind: 'won', winners: [winner] } : { kind: 'draw' };
  }
  if (view.kind === 'memory') {
    const winners = view.winners.map((seat) => game.players[seat]).filter((id): id is string => id !== undefined);
    return winners.length === game.players.length && winners.length > 1 ? { kind: 'draw' } : { kind: 'won', winners };
  }
  return { kind: 'none' };
}

/**
 * Columns and rows of memory cards that fill an area of `width` by `height` best: four across
 * for 8, 12 and 16 cards (4x2, 4x3, 4x4), turned for an upright area (2x4, 3x4).
 */
export function memoryGrid(cards: number, width: number, height: number): { columns: number; rows: number } {
  const long = 4;
  const short = Math.ceil(cards / long);
  return width >= height ? { columns: long, rows: short } : { columns: short, rows: long };
}
