import { describe, expect, it } from 'vitest';
import type { GameState, MemoryView, NoughtsView } from '@tupa/signaling/protocol';
import { memoryGrid, resultOf } from './seats.ts';

const noughts = (view: Partial<NoughtsView>, over = true): GameState => ({
  gameId: 'g',
  version: 3,
  startedBy: 'a',
  players: ['a', 'b'],
  over,
  view: { kind: 'noughts-and-crosses', cells: Array(9).fill(null), turn: null, starter: 0, winner: null, line: null, draw: false, ...view },
});

const memory = (winners: number[], players = ['a', 'b', 'c']): GameState => {
  const view: MemoryView = { kind: 'memory', cards: Array(8).fill({ face: 'down' }), scores: players.map(() => 1), turn: null, showingMiss: false, winners };
  return { gameId: 'm', version: 9, startedBy: 'a', players, over: true, view };
};

describe('how a game ended', () => {
  it('names the winner of noughts and crosses by their mark, or says it is a draw', () => {
    expect(resultOf(noughts({ winner: 1, line: [0, 4, 8] }))).toEqual({ kind: 'won', winners: ['b'] });
    expect(resultOf(noughts({ draw: true }))).toEqual({ kind: 'draw' });
    expect(resultOf(noughts({ turn: 0 }, false))).toEqual({ kind: 'none' });
  });

  it('names every memory player with the most pairs, and calls it a draw when all of them tie', () => {
    expect(resultOf(memory([0, 2]))).toEqual({ kind: 'won', winners: ['a', 'c'] });
    expect(resultOf(memory([1]))).toEqual({ kind: 'won', winners: ['b'] });
    expect(resultOf(memory([0, 1, 2]))).toEqual({ kind: 'draw' });
  });
});

describe('memory cards on the screen', () => {
  it('lays 8, 12 and 16 cards four across, turned for an upright area', () => {
    expect(memoryGrid(8, 400, 200)).toEqual({ columns: 4, rows: 2 });
    expect(memoryGrid(12, 400, 300)).toEqual({ columns: 4, rows: 3 });
    expect(memoryGrid(16, 400, 400)).toEqual({ columns: 4, rows: 4 });
    expect(memoryGrid(12, 300, 500)).toEqual({ columns: 3, rows: 4 });
    expect(memoryGrid(8, 300, 500)).toEqual({ columns: 2, rows: 4 });
  });
});
