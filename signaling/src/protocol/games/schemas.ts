import { z } from 'zod';

// Children's games in a call: noughts and crosses, memory and a shared drawing board. The server
// holds each game's state and applies every move through the game's pure rule module
// (noughtsAndCrosses.ts, memory.ts); browsers get only a view of it (`gameStateSchema`), never a
// face-down card. One game (or board) at a time per room; it is shown in place of the grid or
// the book, with the faces beside it.

const peerIdSchema = z.string().min(1).max(64);

export const GAME_KINDS = ['noughts-and-crosses', 'memory', 'drawing'] as const;
export const gameKindSchema = z.enum(GAME_KINDS);
export type GameKind = z.infer<typeof gameKindSchema>;

/** Why a game request was refused: the reply error's `reason` (codes in permissions.ts and errors.ts). */
export const GAME_REFUSAL_REASONS = [
  /** Games are for rooms children take part in: not for peer groups. */
  'game-not-allowed',
  /** Starting, ending or clearing is for hosts, the reader, the one who started it (and anyone in a play room or a room made from the start page). */
  'game-lead-only',
  /** Only the game's players move; the others watch. */
  'game-players-only',
  /** No game is being played, or the move was for a game that has since ended or been replaced. */
  'game-none',
  /** The players named for a new game are not in the call, repeated, or too few or too many. */
  'game-players-invalid',
  'game-over',
  /** A rematch is offered once a game is over. */
  'game-not-over',
  'not-your-turn',
  /** A cell that is taken, a card that is face up or matched, a cell or card that does not exist. */
  'illegal-move',
  /** Two memory cards that did not match are being shown; the turn passes in a moment. */
  'wait-for-cards',
  /** The drawing board holds as many strokes (or points) as it can: a host or its opener clears it. */
  'board-full',
  /** This person has drawn as many strokes as one person may on one board. */
  'strokes-per-person',
  /** Points came faster than a hand draws (see DRAWING_LIMITS.pointsPerSecond). */
  'drawing-too-fast',
  /** One stroke is as long as a stroke may be; lift the finger and draw on. */
  'stroke-too-long',
  /** No stroke of yours with this key is being drawn (it ended, was refused, or the board was cleared). */
  'stroke-not-found',
  /** Nothing of yours left to undo on this board. */
  'nothing-to-undo',
] as const;
export type GameRefusalReason = (typeof GAME_REFUSAL_REASONS)[number];

// --- noughts and crosses -----------------------------------------------------------------------

/** A mark: 0 is the cross (players[0]), 1 the nought (players[1]). */
export const markSchema = z.union([z.literal(0), z.literal(1)]);
export type Mark = z.infer<typeof markSchema>;

export const noughtsMoveSchema = z.object({ kind: z.literal('noughts-and-crosses'), cell: z.number().int().min(0).max(8) });

/** The whole board: there is nothing hidden in noughts and crosses. Cells 0-8, row by row. */
export const noughtsViewSchema = z.object({
  kind: z.literal('noughts-and-crosses'),
  cells: z.array(markSchema.nullable()).length(9),
  /** Whose turn it is (0 or 1), null once the game is over. */
  turn: markSchema.nullable(),
  /** Who had the first move this game; the other starts the rematch. */
  starter: markSchema,
  winner: markSchema.nullable(),
  /** The three cells in a row (drawn as a line across them), or null. */
  line: z.array(z.number().int().min(0).max(8)).length(3).nullable(),
  /** Every cell filled and nobody has three in a row. */
  draw: z.boolean(),
});
export type NoughtsView = z.infer<typeof noughtsViewSchema>;

// --- memory ------------------------------------------------------------------------------------

export const MEMORY_CARD_COUNTS = [8, 12, 16] as const;
/** How many pictures the memory set has (web/static/games/memory/): pairs are drawn from them. */
export const MEMORY_PICTURE_COUNT = 8;
/** How long two cards that did not match stay face up before the turn passes (ms): long enough for a child to see both. */
export const MEMORY_MISS_SHOW_MS = 2500;

export const memoryOptionsSchema = z.object({
  cards: z.union([z.literal(8), z.literal(12), z.literal(16)]),
});
export type MemoryOptions = z.infer<typeof memoryOptionsSchema>;

export const memoryMoveSchema = z.object({ kind: z.literal('memory'), card: z.number().int().min(0).max(15) });

/** One card as a browser may know it: face down (no picture), face up, or matched by a player. */
export const memoryCardViewSchema = z.discriminatedUnion('face', [
  z.object({ face: z.literal('down') }),
  z.object({ face: z.literal('up'), picture: z.number().int().min(0) }),
  z.object({ face: z.literal('matched'), picture: z.number().int().min(0), by: z.number().int().min(0) }),
]);
export type MemoryCardView = z.infer<typeof memoryCardViewSchema>;

export const memoryViewSchema = z.object({
  kind: z.literal('memory'),
  cards: z.array(memoryCardViewSchema).min(8).max(16),
  /** Pairs found by each player, in the order of `players`. */
  scores: z.array(z.number().int().min(0)),
  /** Index into `players` of whose turn it is; null once the game is over. */
  turn: z.number().int().min(0).nullable(),
  /** Two cards that did not match are being shown; the turn passes in a moment. */
  showingMiss: z.boolean(),
  /** Once over: the players (indices) with the most pairs; more than one is a tie. */
  winners: z.array(z.number().int().min(0)),
});
export type MemoryView = z.infer<typeof memoryViewSchema>;

// --- the drawing board -------------------------------------------------------------------------

/** The board is square; points are whole units from 0 to 1000 across and down, so every screen agrees. */
export const BOARD_UNITS = 1000;
export const BRUSH_COLOURS = ['black', 'red', 'yellow', 'green', 'blue', 'purple', 'eraser'] as const;
export const brushColourSchema = z.enum(BRUSH_COLOURS);
export type BrushColour = z.infer<typeof brushColourSchema>;
/** Brush widths in board units: big, for small hands and fingers. */
export const BRUSH_SIZES = { medium: 14, large: 36 } as const;
export const brushSizeSchema = z.enum(['medium', 'large']);
export type BrushSize = z.infer<typeof brushSizeSchema>;

/**
 * What one board and one person may hold. A pointer sends 60-240 points a second while moving;
 * points are sent in batches at most every 50 ms. Shown to the person when reached.
 */
export const DRAWING_LIMITS = {
  strokesPerBoard: 1000,
  /**
   * About 400 KB of JSON when full: a late joiner gets the whole board in their join reply, on
   * the way to their first picture, so it is kept to what many children's drawings need.
   */
  pointsPerBoard: 50_000,
  strokesPerPerson: 300,
  pointsPerStroke: 2000,
  /** Points in one startStroke or extendStroke message. */
  pointsPerBatch: 240,
  /** A person's steady rate (a token bucket of twice this size absorbs a burst). */
  pointsPerSecond: 480,
} as const;

/** Points as a flat list, x and y in turn: [x0, y0, x1, y1, ...], each 0..BOARD_UNITS. */
export const pointsSchema = z
  .array(z.number().int().min(0).max(BOARD_UNITS))
  .max(DRAWING_LIMITS.pointsPerBatch * 2)
  .refine((values) => values.length % 2 === 0, 'points come in x, y pairs');

export const strokeSchema = z.object({
  /** Given by the server, rising on each board: every screen draws strokes in this order. */
  strokeId: z.number().int().min(1),
  by: z.string(),
  colour: brushColourSchema,
  size: brushSizeSchema,
  points: z.array(z.number().int().min(0).max(BOARD_UNITS)),
  /** The finger is lifted; no more points will come. */
  done: z.boolean(),
});
export type Stroke = z.infer<typeof strokeSchema>;

export const drawingViewSchema = z.object({
  kind: z.literal('drawing'),
  strokes: z.array(strokeSchema),
});
export type DrawingView = z.infer<typeof drawingViewSchema>;

// --- the game as everyone gets it ---------------------------------------------------------------

export const gameViewSchema = z.discriminatedUnion('kind', [noughtsViewSchema, memoryViewSchema, drawingViewSchema]);
export type GameView = z.infer<typeof gameViewSchema>;

/**
 * The room's game as one person may see it. `version` rises with every change (a move, the
 * end of a shown miss, a clear), so a client drops an out-of-order update; a new game (or a
 * rematch) has a new `gameId`. Strokes being drawn arrive between versions (`strokeStarted`,
 * `strokeExtended`) and are in the next full state.
 */
export const gameStateSchema = z.object({
  gameId: z.string(),
  version: z.number().int().min(0),
  /** Who started it: they (and hosts) may end it. */
  startedBy: z.string(),
  /** Who plays, in turn order (a board has none: everyone draws). Everyone else watches. */
  players: z.array(z.string()),
  over: z.boolean(),
  view: gameViewSchema,
});
export type GameState = z.infer<typeof gameStateSchema>;

export const gameMoveSchema = z.discriminatedUnion('kind', [noughtsMoveSchema, memoryMoveSchema]);
export type GameMove = z.infer<typeof gameMoveSchema>;

export const startGameSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('noughts-and-crosses'), players: z.array(peerIdSchema).length(2) }),
  z.object({ kind: z.literal('memory'), players: z.array(peerIdSchema).min(2).max(4), options: memoryOptionsSchema }),
  z.object({ kind: z.literal('drawing') }),
]);
export type StartGame = z.infer<typeof startGameSchema>;

/** A stroke's number chosen by the drawer's tab, so points can follow at once without waiting for the server's id. */
const strokeKeySchema = z.number().int().min(0).max(2 ** 31 - 1);
/** Every game request names the game (or board) it is for, so a tab that missed a change cannot act on the next game. */
const gameIdSchema = z.string().min(1).max(64);

/** Who may send each of these is the permission table's (permissions.ts). */
export const gameRequestSchemas = {
  /**
   * Start a game for everyone (replacing one being played): noughts and crosses for two players,
   * memory for two to four, or the drawing board for everyone. Players must be in the call.
   * The reply is the game as the asker sees it.
   */
  startGame: { payload: startGameSchema, reply: gameStateSchema },
  /** A player's move in the game `gameId`; refused (no change) when out of turn, illegal or over. */
  gameMove: { payload: z.object({ gameId: gameIdSchema, move: gameMoveSchema }), reply: gameStateSchema },
  /** Once a game is over: the same game again for the same players, the other one starting. */
  rematch: { payload: z.object({ gameId: gameIdSchema }), reply: gameStateSchema },
  /** End the game (or close the board) for everyone: back to the call or the book. */
  endGame: { payload: z.object({ gameId: gameIdSchema }), reply: z.object({}) },
  /** Begin a stroke on the board with its first points; `key` is the drawer's own number for it. */
  startStroke: {
    payload: z.object({
      gameId: gameIdSchema,
      key: strokeKeySchema,
      colour: brushColourSchema,
      size: brushSizeSchema,
      // A stroke begins where the finger touches: at least one point.
      points: pointsSchema.refine((values) => values.length >= 2, 'a stroke begins with a point'),
    }),
    reply: z.object({ strokeId: z.number().int().min(1) }),
  },
  /** More points of one's own stroke (a batch at most every 50 ms); `done` when the finger lifts. */
  extendStroke: {
    payload: z.object({ gameId: gameIdSchema, key: strokeKeySchema, points: pointsSchema, done: z.boolean() }),
    reply: z.object({}),
  },
  /** Take back one's own last stroke on the board. */
  undoStroke: { payload: z.object({ gameId: gameIdSchema }), reply: z.object({ strokeId: z.number().int().min(1) }) },
  /** Empty the board for everyone. */
  clearBoard: { payload: z.object({ gameId: gameIdSchema }), reply: z.object({}) },
} as const;

export const gameNotificationSchemas = {
  /**
   * The game changed, began, or ended (null); as this person may see it. `by`: who did it (null:
   * the server). `version` is the room's game counter, which rises with every change across
   * games (the game's own `version` when there is one), so a client drops anything older than
   * what it shows, an ending included.
   */
  gameChanged: z.object({ game: gameStateSchema.nullable(), version: z.number().int().min(0), by: z.string().nullable() }),
  /** Someone else began a stroke on the board. */
  strokeStarted: z.object({ gameId: z.string(), stroke: strokeSchema }),
  /** More points of a stroke someone else is drawing (done: they lifted their finger). */
  strokeExtended: z.object({ gameId: z.string(), strokeId: z.number().int(), points: z.array(z.number().int()), done: z.boolean() }),
  /** A stroke was taken back by its drawer. */
  strokeRemoved: z.object({ gameId: z.string(), strokeId: z.number().int() }),
} as const;
