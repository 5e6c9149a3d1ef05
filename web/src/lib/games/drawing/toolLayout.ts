// Where the tools go around the board. Every button is at least 64 px (small fingers), and a
// phone held upright leaves the board a small box beside the faces: there all twelve buttons
// would leave a board the size of a stamp, so the colours and widths fold behind one button
// ("compact") and open over the board. The board is square; whichever arrangement leaves it
// largest is chosen.

export interface ToolLayout {
  /** The tools in columns beside the board (else in rows under it). */
  beside: boolean;
  /** Colours and widths folded behind one button. */
  compact: boolean;
  /** The board's side (px). */
  board: number;
}

export interface ToolMeasures {
  /** A button's side (px). */
  tool: number;
  /** The space between buttons, and between the board and the tools (px). */
  gap: number;
  /** Buttons with everything shown, and with the colours and widths folded. */
  buttons: { full: number; compact: number };
}

/** The board's side with `count` buttons beside it (columns) or under it (rows), in a `width` x `height` box. */
function boardWith(count: number, beside: boolean, width: number, height: number, { tool, gap }: ToolMeasures): number {
  const step = tool + gap;
  const across = beside ? height : width;
  const perLine = Math.max(1, Math.floor((across + gap) / step));
  const lines = Math.ceil(count / perLine);
  const taken = lines * step;
  return Math.max(0, Math.floor(beside ? Math.min(width - taken, height) : Math.min(width, height - taken)));
}

/**
 * The arrangement for a box: everything shown unless folding gives a board a quarter larger,
 * since a child finds a colour faster when it is always in sight.
 */
export function chooseToolLayout(width: number, height: number, measures: ToolMeasures): ToolLayout {
  const best = (count: number) => {
    const beside = boardWith(count, true, width, height, measures);
    const under = boardWith(count, false, width, height, measures);
    return beside >= under ? { beside: true, board: beside } : { beside: false, board: under };
  };
  const full = best(measures.buttons.full);
  const compact = best(measures.buttons.compact);
  if (full.board * 1.25 >= compact.board) return { ...full, compact: false };
  return { ...compact, compact: true };
}
