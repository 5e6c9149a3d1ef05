import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GAME_REFUSAL_CODES } from '../errors.ts';
import {
  ACTIONS,
  GAME_REFUSAL_REASONS,
  dealDeck,
  MEMORY_MISS_SHOW_MS,
  type Actor,
  type GameRefusalReason,
  type GameState,
  type MemoryView,
  type RoomInfo,
} from '../protocol/index.ts';
import { RoomGames } from './RoomGames.ts';
import { refusalOf } from '../../../tests/support/refusal.ts';

// The room's game owner without a room: a set of present ids and a record of what each person
// was told. Memory's timer runs on Vitest's fake clock, so "the turn passes after the shown time"
// and "no timer outlives its game" are exact.

const host: Actor = { id: 'host', role: 'host' };
const ann: Actor = { id: 'ann', role: 'guest' };
const bo: Actor = { id: 'bo', role: 'guest' };
const cy: Actor = { id: 'cy', role: 'guest' };

function setup(kind: RoomInfo['kind'] = 'play') {
  const present = new Set([host.id, ann.id, bo.id, cy.id]);
  const told: Array<{ to: string; name: string; payload: unknown }> = [];
  const games = new RoomGames(
    {
      rules: () => ({ kind, madeFromStartPage: false }),
      readerId: () => null,
      has: (id) => present.has(id),
      tellEach: (name, payloadFor) => {
        for (const to of present) told.push({ to, name, payload: payloadFor(to) });
      },
      tell: (name, payload, exceptId) => {
        for (const to of present) if (to !== exceptId) told.push({ to, name, payload });
      },
    },
    pino({ level: 'silent' }),
    // A fixed deal, which a test can read with dealDeck and the same source.
    { random: () => 0 },
  );
  const changes = (to: string) => told.filter((t) => t.to === to && t.name === 'gameChanged').map((t) => t.payload as { game: GameState | null; by: string | null });
  return { games, present, told, changes };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('RoomGames', () => {
  it('answers every refusal reason with one code, the same the permission table gives', () => {
    const seen = new Map<GameRefusalReason, string>();
    const kinds: RoomInfo['kind'][] = ['storytime', 'open', 'peer-group', 'play'];
    const games = [null, { kind: 'noughts-and-crosses' as const, startedBy: 'x', players: ['x', 'y'], over: false }, { kind: 'drawing' as const, startedBy: 'x', players: [], over: false }];
    for (const kind of kinds) {
      for (const game of games) {
        for (const over of [false, true]) {
          for (const actor of [host, ann, { id: 'x', role: 'guest' as const }]) {
            for (const rule of Object.values(ACTIONS)) {
              const answer = rule.check({
                actor,
                room: { kind, madeFromStartPage: false, chatEnabled: true, childrenPresent: true },
                storytime: { book: null, readerId: null, turnerId: null },
                game: game && { ...game, over },
              });
              if (!answer.allowed && (GAME_REFUSAL_REASONS as readonly string[]).includes(answer.reason)) seen.set(answer.reason as GameRefusalReason, answer.code);
            }
          }
        }
      }
    }
    expect(seen.size).toBeGreaterThanOrEqual(5);
    for (const [reason, code] of seen) expect(`${reason}: ${code}`).toBe(`${reason}: ${GAME_REFUSAL_CODES[reason]}`);
  });

  it('plays noughts and crosses to a win, each change a new version told to everyone', () => {
    const { games, changes } = setup();
    const started = games.start(host, { kind: 'noughts-and-crosses', players: [ann.id, bo.id] });
    expect(started).toMatchObject({ version: 1, startedBy: 'host', players: ['ann', 'bo'], over: false, view: { turn: 0 } });
    const { gameId } = started;
    for (const [who, cell] of [[ann, 0], [bo, 3], [ann, 1], [bo, 4]] as const) games.move(who, gameId, { kind: 'noughts-and-crosses', cell });
    const won = games.move(ann, gameId, { kind: 'noughts-and-crosses', cell: 2 });
    expect(won).toMatchObject({ version: 6, over: true, view: { winner: 0, line: [0, 1, 2] } });
    for (const to of ['host', 'ann', 'bo', 'cy']) {
      expect(changes(to).map((c) => c.game?.version)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(changes(to).at(-1)).toEqual({ game: won, version: won.version, by: 'ann' });
    }
  });

  it('refuses players who are not in the call, twice over, or too many, and changes nothing', () => {
    const { games, told } = setup();
    expect(refusalOf(() => games.start(host, { kind: 'noughts-and-crosses', players: [ann.id, 'gone'] }))).toBe('invalid-state/game-players-invalid');
    expect(refusalOf(() => games.start(host, { kind: 'noughts-and-crosses', players: [ann.id, ann.id] }))).toBe('invalid-state/game-players-invalid');
    expect(refusalOf(() => games.start(host, { kind: 'memory', players: [ann.id, bo.id, cy.id, host.id, 'e'], options: { cards: 8 } }))).toBe(
      'invalid-state/game-players-invalid',
    );
    expect(games.snapshotFor(host.id)).toBeNull();
    expect(told).toEqual([]);
  });

  it('settles a memory miss after the shown time, and the timer dies with its game and with the room', () => {
    vi.useFakeTimers();
    const { games, changes } = setup();
    // The server deals with the random source it was given: the same deal, read here.
    const deck = dealDeck(8, () => 0);
    const other = deck.findIndex((picture) => picture !== deck[0]);
    const { gameId } = games.start(host, { kind: 'memory', players: [ann.id, bo.id], options: { cards: 8 } });
    games.move(ann, gameId, { kind: 'memory', card: 0 });
    const shown = games.move(ann, gameId, { kind: 'memory', card: other });
    expect(shown.view).toMatchObject({ showingMiss: true, turn: 0 });
    expect(games.settling).toBe(true);
    expect(refusalOf(() => games.move(ann, gameId, { kind: 'memory', card: 7 === other ? 6 : 7 }))).toBe('invalid-state/wait-for-cards');
    vi.advanceTimersByTime(MEMORY_MISS_SHOW_MS - 1);
    expect((games.snapshotFor(null)?.view as MemoryView).turn).toBe(0);
    vi.advanceTimersByTime(1);
    expect(games.settling).toBe(false);
    const settled = changes('cy').at(-1)!;
    expect(settled.by).toBeNull();
    expect(settled.game).toMatchObject({ version: shown.version + 1, view: { turn: 1, showingMiss: false } });
    expect((settled.game?.view as MemoryView).cards.every((card) => card.face === 'down')).toBe(true);

    // A miss, then the game is ended: no timer is left behind, and nothing more is told.
    const again = games.start(host, { kind: 'memory', players: [ann.id, bo.id], options: { cards: 8 } });
    games.move(ann, again.gameId, { kind: 'memory', card: 0 });
    games.move(ann, again.gameId, { kind: 'memory', card: other });
    expect(games.settling).toBe(true);
    games.end(host, again.gameId);
    expect(games.settling).toBe(false);
    expect(vi.getTimerCount()).toBe(0);

    // A miss, then another game replaces it.
    const replaced = games.start(host, { kind: 'memory', players: [ann.id, bo.id], options: { cards: 8 } });
    games.move(ann, replaced.gameId, { kind: 'memory', card: 0 });
    games.move(ann, replaced.gameId, { kind: 'memory', card: other });
    expect(games.settling).toBe(true);
    games.start(host, { kind: 'drawing' });
    expect(games.settling).toBe(false);
    expect(vi.getTimerCount()).toBe(0);

    // A miss, then the room closes.
    const third = games.start(host, { kind: 'memory', players: [ann.id, bo.id], options: { cards: 8 } });
    games.move(ann, third.gameId, { kind: 'memory', card: 0 });
    games.move(ann, third.gameId, { kind: 'memory', card: other });
    expect(vi.getTimerCount()).toBe(1);
    const toldBefore = changes('cy').length;
    games.close();
    expect(games.snapshotFor(null)).toBeNull();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(MEMORY_MISS_SHOW_MS * 2);
    expect(changes('cy')).toHaveLength(toldBefore);
  });

  it('ends noughts and crosses when a player leaves for good, and lets memory go on without them', () => {
    const { games, present, changes } = setup();
    games.start(host, { kind: 'noughts-and-crosses', players: [ann.id, bo.id] });
    present.delete(cy.id);
    games.peerLeft(cy.id);
    expect(games.snapshotFor(null)).not.toBeNull();
    present.delete(bo.id);
    games.peerLeft(bo.id);
    expect(games.snapshotFor(null)).toBeNull();
    expect(changes(ann.id).at(-1)).toMatchObject({ game: null, by: null });

    present.add(bo.id);
    present.add(cy.id);
    const memory = games.start(host, { kind: 'memory', players: [ann.id, bo.id, cy.id], options: { cards: 8 } });
    present.delete(ann.id);
    games.peerLeft(ann.id);
    const after = games.snapshotFor(bo.id);
    expect(after).toMatchObject({ gameId: memory.gameId, version: memory.version + 1, players: ['ann', 'bo', 'cy'], view: { turn: 1 } });
    present.delete(bo.id);
    games.peerLeft(bo.id);
    expect(games.snapshotFor(cy.id)?.view).toMatchObject({ turn: 2 });
    present.delete(cy.id);
    games.peerLeft(cy.id);
    expect(games.snapshotFor(null)).toBeNull();
  });

  it('ends the game when the room becomes a peer group', () => {
    let kind: RoomInfo['kind'] = 'play';
    const present = new Set(['ann', 'bo']);
    const games = new RoomGames(
      { rules: () => ({ kind, madeFromStartPage: false }), readerId: () => null, has: (id) => present.has(id), tellEach: () => {}, tell: () => {} },
      pino({ level: 'silent' }),
    );
    games.start(ann, { kind: 'drawing' });
    games.roomRulesChanged();
    expect(games.snapshotFor(null)).not.toBeNull();
    kind = 'peer-group';
    games.roomRulesChanged();
    expect(games.snapshotFor(null)).toBeNull();
  });
});
