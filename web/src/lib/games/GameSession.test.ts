import { describe, expect, it, vi } from 'vitest';
import type { GameState, NoughtsView, RoomInfo } from '@tupa/signaling/protocol';
import { GameSession, type GameNotifications } from './GameSession.svelte.ts';

// The board's own behaviour is its module's; here only what the game session hands it.
const board = vi.hoisted(() => ({ reset: vi.fn(), clear: vi.fn() }));
vi.mock('./drawing/BoardSession.svelte.ts', () => ({
  BoardSession: class {
    reset = board.reset;
    clear = board.clear;
    listen = () => () => {};
  },
}));

const emptyBoard: NoughtsView = {
  kind: 'noughts-and-crosses',
  cells: [null, null, null, null, null, null, null, null, null],
  turn: 0,
  starter: 0,
  winner: null,
  line: null,
  draw: false,
};

function noughts(version: number, changes: Partial<NoughtsView> = {}, gameId = 'g1', over = false): GameState {
  return { gameId, version, startedBy: 'granny', players: ['granny', 'child'], over, view: { ...emptyBoard, ...changes } };
}

class Refusal extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

interface SetUp {
  role?: 'host' | 'guest';
  kind?: RoomInfo['kind'];
  readerId?: string | null;
  /** The server refuses every request with this reason. */
  refuse?: string;
}

/** A session whose server answers like the real one for one game of noughts and crosses, and its notifications. */
function setUp(selfId: string, options: SetUp = {}) {
  const handlers = new Map<string, (payload: unknown) => void>();
  const requests: { name: string; payload: unknown }[] = [];
  let server = noughts(1);
  const session = new GameSession({
    selfId: () => selfId,
    role: () => options.role ?? 'guest',
    room: () => ({ kind: options.kind ?? 'storytime', madeFromStartPage: false, chatEnabled: false, childrenPresent: true }),
    storytime: () => ({ book: null, readerId: options.readerId ?? null, turnerId: null }),
    request: async (name, payload) => {
      requests.push({ name, payload });
      if (options.refuse) throw new Refusal(options.refuse);
      if (name === 'gameMove') {
        const { cell } = (payload as { move: { cell: number } }).move;
        server = noughts(server.version + 1, { cells: server.view.kind === 'noughts-and-crosses' ? server.view.cells.map((c, i) => (i === cell ? 0 : c)) : [], turn: 1 });
      }
      return (name === 'endGame' ? {} : server) as never;
    },
  });
  const connection: GameNotifications = {
    on: (name, handler) => {
      handlers.set(name, handler as (payload: unknown) => void);
      return () => handlers.delete(name);
    },
  };
  const stop = session.listen(connection);
  session.apply(server, true);
  /** A gameChanged as the server sends it: `version` is the room's game counter (the game's own when there is one). */
  const notify = (game: GameState | null, version = game?.version ?? 0) => handlers.get('gameChanged')?.({ game, version, by: 'granny' });
  return { session, requests, notify, handlers, stop };
}

/** Runs `action` with the expected console warning of a refused request silenced. */
async function quietly(action: () => Promise<unknown>): Promise<void> {
  const warn = console.warn;
  console.warn = () => {};
  try {
    await action();
  } finally {
    console.warn = warn;
  }
}

describe('game session', () => {
  it('drops an older or repeated version of the same game, and takes a newer one', () => {
    const { session, notify } = setUp('child');
    notify(noughts(3, { cells: [0, null, null, null, null, null, null, null, null], turn: 1 }));
    expect(session.game?.version).toBe(3);
    notify(noughts(2));
    expect(session.game?.version).toBe(3);
    notify(noughts(3));
    expect(session.game?.view).toMatchObject({ cells: [0, null, null, null, null, null, null, null, null] });
    expect(session.turnId).toBe('child');
    expect(session.myTurn).toBe(true);
  });

  it('drops anything older than the last change whichever game it is of, takes a newer game, and ends on a newer ending', () => {
    const { session, notify } = setUp('child');
    notify(noughts(7));
    // A late notice of an earlier game (the counter rises across games) brings nothing back.
    notify(noughts(5, {}, 'g0'));
    expect(session.game?.gameId).toBe('g1');
    notify(noughts(8, {}, 'g2'));
    expect(session.game?.gameId).toBe('g2');
    expect(session.game?.version).toBe(8);
    notify(null, 6);
    expect(session.game?.gameId).toBe('g2');
    notify(null, 9);
    expect(session.game).toBeNull();
    expect(session.situation).toBeNull();
    notify(noughts(8, {}, 'g2'));
    expect(session.game).toBeNull();
  });

  it('shows a move only when the server answers, and a refused move leaves the game as it was with a note why', async () => {
    const mover = setUp('granny');
    const moving = mover.session.move({ kind: 'noughts-and-crosses', cell: 4 });
    expect(mover.session.pending).toBe(4);
    expect(mover.session.game?.view).toMatchObject({ cells: emptyBoard.cells });
    await moving;
    expect(mover.session.pending).toBeNull();
    expect(mover.session.game?.version).toBe(2);
    expect(mover.requests).toEqual([{ name: 'gameMove', payload: { gameId: 'g1', move: { kind: 'noughts-and-crosses', cell: 4 } } }]);

    const refused = setUp('granny', { refuse: 'not-your-turn' });
    await quietly(() => refused.session.move({ kind: 'noughts-and-crosses', cell: 4 }));
    expect(refused.session.game).toEqual(noughts(1));
    expect(refused.session.pending).toBeNull();
    expect(refused.session.note?.reason).toBe('not-your-turn');
  });

  it('starts a new game clean: the note about the game before goes', async () => {
    const { session, notify } = setUp('auntie');
    await session.move({ kind: 'noughts-and-crosses', cell: 0 });
    expect(session.note?.reason).toBe('game-players-only');
    notify(noughts(2, {}, 'g2'));
    expect(session.note).toBeNull();
  });

  it('sends no flip while two missed memory cards are shown, and puts no note over them', async () => {
    const { session, notify, requests } = setUp('granny');
    const down = { face: 'down' as const };
    const up = (picture: number) => ({ face: 'up' as const, picture });
    const memory = (version: number, showingMiss: boolean): GameState => ({
      gameId: 'm1',
      version,
      startedBy: 'granny',
      players: ['granny', 'child'],
      over: false,
      view: { kind: 'memory', cards: [up(0), up(1), down, down, down, down, down, down], scores: [0, 0], turn: 0, showingMiss, winners: [] },
    });
    notify(memory(2, true));
    await session.move({ kind: 'memory', card: 3 });
    expect(requests).toEqual([]);
    expect(session.note).toBeNull();
    notify(memory(3, false));
    await session.move({ kind: 'memory', card: 3 });
    expect(requests.map((r) => r.name)).toEqual(['gameMove']);
  });

  it('does not send a move for a watcher, and says they are watching', async () => {
    const { session, requests } = setUp('auntie');
    expect(session.seat).toBe(-1);
    await session.move({ kind: 'noughts-and-crosses', cell: 0 });
    expect(requests).toEqual([]);
    expect(session.note?.reason).toBe('game-players-only');
  });

  it('offers starting a game to hosts and the reader, and to everyone in a play room; no games in a peer group', () => {
    expect(setUp('child').session.canStart).toBe(false);
    expect(setUp('granny', { role: 'host' }).session.canStart).toBe(true);
    expect(setUp('granny', { readerId: 'granny' }).session.canStart).toBe(true);
    expect(setUp('child', { kind: 'play' }).session.canStart).toBe(true);
    expect(setUp('granny', { role: 'host', kind: 'peer-group' }).session.canStart).toBe(false);
  });

  it('offers moves and stopping to the players (not to a watcher), and a rematch only once the game is over', () => {
    const player = setUp('child').session;
    const watcher = setUp('auntie').session;
    expect(player.canMove).toBe(true);
    expect(watcher.canMove).toBe(false);
    expect(player.canEnd).toBe(true);
    expect(watcher.canEnd).toBe(false);
    expect(player.canRematch).toBe(false);
    player.apply(noughts(5, { winner: 0, line: [0, 1, 2], turn: null }, 'g1', true));
    watcher.apply(noughts(5, { winner: 0, line: [0, 1, 2], turn: null }, 'g1', true));
    expect(player.canRematch).toBe(true);
    expect(watcher.canRematch).toBe(false);
    expect(player.turnId).toBeNull();
  });

  it('hands a drawing board to the board, and tells it when the board closes', () => {
    board.reset.mockClear();
    board.clear.mockClear();
    const { session, notify } = setUp('child');
    const drawing: GameState = { gameId: 'b1', version: 2, startedBy: 'granny', players: [], over: false, view: { kind: 'drawing', strokes: [] } };
    notify(drawing);
    expect(board.reset).toHaveBeenCalledWith('b1', drawing.view);
    expect(session.canMove).toBe(false);
    notify(null, 3);
    expect(board.clear).toHaveBeenCalledTimes(1);
  });

  it('forgets the game, closes a drawing board and stops listening when the visit ends (dispose)', () => {
    board.clear.mockClear();
    const { session, notify, handlers } = setUp('child');
    notify({ gameId: 'b1', version: 2, startedBy: 'granny', players: [], over: false, view: { kind: 'drawing', strokes: [] } });
    session.dispose();
    expect(board.clear).toHaveBeenCalledTimes(1);
    expect(session.game).toBeNull();
    expect(handlers.size).toBe(0);
    notify(noughts(9));
    expect(session.game).toBeNull();
  });

  it('stops listening when asked', () => {
    const { session, notify, stop } = setUp('child');
    stop();
    notify(noughts(9));
    expect(session.game?.version).toBe(1);
  });
});
