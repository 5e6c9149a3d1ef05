import { describe, expect, it } from 'vitest';
import { chooseToolLayout } from './toolLayout.ts';

const measures = { tool: 64, gap: 6, buttons: { full: 12, compact: 4 } };

describe('where the drawing tools go', () => {
  it('shows every tool beside the board on a laptop', () => {
    expect(chooseToolLayout(628, 523, measures)).toMatchObject({ beside: true, compact: false });
    expect(chooseToolLayout(628, 523, measures).board).toBeGreaterThan(440);
  });

  it('shows every tool under the board in a tall box (a tablet upright)', () => {
    expect(chooseToolLayout(700, 900, measures)).toMatchObject({ beside: false, compact: false, board: 700 });
  });

  it('folds the colours behind one button in the small box a phone upright leaves, for a board twice as large', () => {
    const layout = chooseToolLayout(380, 340, measures);
    expect(layout.compact).toBe(true);
    expect(layout.board).toBeGreaterThan(300);
  });

  it('never gives the board a negative size', () => {
    expect(chooseToolLayout(50, 40, measures).board).toBe(0);
  });
});
