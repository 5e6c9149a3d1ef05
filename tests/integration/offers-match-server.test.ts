import { MediaServer } from '@tupa/media-server';
import { OPEN_ROOM_RULES, RoomRegistry, type Peer, type PeerChannel, type Room } from '@tupa/signaling';
import {
  ACTION_NAMES,
  permission,
  type ActionName,
  type GameSituationPart,
  type GameState,
  type RequestPayload,
  type RoomInfo,
} from '@tupa/signaling/protocol';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignalingError } from '../../signaling/src/errors.ts';
import { handlers, type HandlerContext } from '../../signaling/src/handlers/index.ts';
import { offeredActions, type Offer } from '../../web/src/lib/call/offers.ts';
import { freeUdpTcpPort } from '../support/ports.ts';

// What the call screen offers (web/src/lib/call/offers.ts, which its components ask) is exactly
// what the server accepts, in every room kind and storytime state, for every role: each action
// the screen could offer is really attempted through the server's own request handler, against
// a real Room with a real mediasoup router, in a fresh room set up the same way each time. The
// screen's view of the state is built from what the server would send it (its role, Room.info,
// the storytime snapshot, the game as this person sees it), as the browser builds it.

const logger = pino({ level: 'silent' });
let media: MediaServer;
let registry: RoomRegistry;
let rooms = 0;

beforeAll(async () => {
  media = await MediaServer.start(
    { numWorkers: 1, listenIp: '127.0.0.1', announcedIp: '127.0.0.1', rtcPort: await freeUdpTcpPort() },
    logger,
  );
  registry = new RoomRegistry(media, { emptyRoomGraceMs: 0, reconnectGraceMs: 0, capacity: 8 }, logger);
});
afterAll(() => {
  registry?.closeAll('server-shutdown');
  media?.close();
});

/** A participant's channel that only listens: nothing here looks at what is sent. */
class QuietChannel implements PeerChannel {
  closed = false;
  notify(): void {}
  release(): void {
    this.closed = true;
  }
  enterCall(): void {}
}

const book = { bookId: '7b0c1f6e-3d4a-4b59-9a57-3f7c2d1e0a11', title: 'Muumi', pageCount: 12, aspectRatio: 4 / 3 };
/** The rooms: by kind, and "open" made from the start page, "staff-open" of that kind made by a coordinator. */
const PLACES = {
  storytime: { kind: 'storytime', madeFromStartPage: false },
  open: { kind: 'open', madeFromStartPage: true },
  'staff-open': { kind: 'open', madeFromStartPage: false },
  'peer-group': { kind: 'peer-group', madeFromStartPage: false },
  play: { kind: 'play', madeFromStartPage: false },
} as const satisfies Record<string, Pick<RoomInfo, 'kind' | 'madeFromStartPage'>>;
type PlaceName = keyof typeof PLACES;
const KINDS = Object.keys(PLACES) as PlaceName[];
/**
 * "nobody-reads": no book, nobody chosen. "reading": the host chose the reader, who opened a book
 * and handed the turning to another guest. "reader-left": the reader opened a book and left.
 */
const STATES = ['nobody-reads', 'reading', 'reader-left'] as const;
type StateName = (typeof STATES)[number];
/**
 * The room's game, with the book being read ("reading"): none; a noughts-and-crosses game of the
 * reader and the turner that the reader started, the reader to move; the same game won by the
 * reader; a drawing board the host opened, on which everyone is drawing a stroke (key 1).
 */
const GAMES = ['none', 'noughts', 'noughts-over', 'board'] as const;
type GameName = (typeof GAMES)[number];
const SCENARIOS: [StateName, GameName][] = [...STATES.map((state): [StateName, GameName] => [state, 'none']), ['reading', 'noughts'], ['reading', 'noughts-over'], ['reading', 'board']];
/** Refusals by a game's own rules (whose turn, a game over): the screen shows those from the same rule module, not from the permission table. */
const RULE_REFUSALS = new Set(['invalid-state/not-your-turn', 'invalid-state/game-over']);
const ACTORS = ['host', 'guest', 'reader', 'turner'] as const;
type ActorName = (typeof ACTORS)[number];

/** Children's storytime rooms have no chat; the other kinds have it on, as rooms usually do. */
function rulesFor(place: PlaceName) {
  const { kind } = PLACES[place];
  return { ...OPEN_ROOM_RULES, ...PLACES[place], childrenPresent: kind === 'storytime', chatEnabled: kind !== 'storytime' };
}

/**
 * A fresh room of `kind` in `state`: a host and three guests (the reader and the turner are
 * guests too). Storytime is set up through the Storytime rules while the room is a storytime
 * room; then the room becomes `kind`, as when a coordinator changes a live room's kind.
 */
async function roomIn(kind: PlaceName, state: StateName, game: GameName = 'none'): Promise<{ room: Room; people: Map<ActorName, Peer> }> {
  const room = await registry.getOrCreate(`room-${++rooms}`);
  room.applySettings({ ...rulesFor('storytime'), chatEnabled: false });
  const people = new Map<ActorName, Peer>();
  for (const name of ACTORS) {
    const joined = room.join({ displayName: name, role: name === 'host' ? 'host' : 'guest', channel: new QuietChannel() });
    if (joined.admission !== 'in') throw new Error('expected to be in the call');
    people.set(name, joined.peer);
  }
  const [host, reader, turner] = [people.get('host')!, people.get('reader')!, people.get('turner')!];
  if (state !== 'nobody-reads') {
    room.storytime.setReader(host, reader.id);
    room.storytime.open(reader, book);
  }
  if (state === 'reading') room.storytime.setTurner(reader, turner.id);
  if (state === 'reader-left') {
    room.leave(reader, 'left');
    people.delete('reader');
  }
  // Games are set up in a play room (everyone may), then the room becomes `kind` (a peer group
  // ends its game, as the server does).
  room.applySettings(rulesFor('play'));
  if (game === 'noughts' || game === 'noughts-over') {
    const { gameId } = room.games.start(reader, { kind: 'noughts-and-crosses', players: [reader.id, turner.id] });
    const moves = game === 'noughts' ? [] : ([[reader, 0], [turner, 3], [reader, 1], [turner, 4], [reader, 2]] as const);
    for (const [who, cell] of moves) room.games.move(who, gameId, { kind: 'noughts-and-crosses', cell });
  }
  if (game === 'board') {
    const { gameId } = room.games.start(host, { kind: 'drawing' });
    for (const peer of people.values()) room.games.startStroke(peer, gameId, { key: 1, colour: 'blue', size: 'medium', points: [100, 100] });
  }
  room.applySettings(rulesFor(kind));
  return { room, people };
}

/** The game as the screen knows it: from the state the server sends this person. */
function gamePart(game: GameState | null): GameSituationPart | null {
  return game && { kind: game.view.kind, startedBy: game.startedBy, players: game.players, over: game.over };
}

/** The payload of each action for one target (a peer id, null, or none), in `room` (its game, its host and guest). */
function payloadOf(action: ActionName, target: string | null | undefined, room: Room, people: Map<ActorName, Peer>): RequestPayload<ActionName> {
  const gameId = room.games.snapshotFor(null)?.gameId ?? 'no-game';
  const payloads: { [K in ActionName]: RequestPayload<K> } = {
    admitFromLobby: { guestId: 'all' },
    denyFromLobby: { guestId: 'all' },
    muteParticipant: { peerId: target ?? '' },
    stopParticipantVideo: { peerId: target ?? '' },
    removeParticipant: { peerId: target ?? '' },
    setRoomLocked: { locked: true },
    endSession: {},
    raiseHand: { raised: true },
    lowerHand: { peerId: target ?? '' },
    sendChat: { text: 'hei' },
    openBook: { bookId: book.bookId },
    closeBook: {},
    turnPage: { page: 2 },
    setReader: { peerId: target ?? null },
    setTurner: { peerId: target ?? null },
    pointAt: { point: { x: 0.5, y: 0.5 } },
    lookHere: { point: { x: 0.5, y: 0.5 } },
    startGame: { kind: 'noughts-and-crosses', players: [people.get('host')!.id, people.get('guest')!.id] },
    gameMove: { gameId, move: { kind: 'noughts-and-crosses', cell: 8 } },
    rematch: { gameId },
    endGame: { gameId },
    startStroke: { gameId, key: 2, colour: 'red', size: 'large', points: [500, 500] },
    extendStroke: { gameId, key: 1, points: [120, 120], done: true },
    undoStroke: { gameId },
    clearBoard: { gameId },
  };
  return payloads[action];
}

/**
 * Everything a screen could offer: each action, aimed at each of the others where it is aimed at
 * someone (their tiles, the book's menu), and at nobody for taking the page turning back.
 */
function candidates(others: readonly string[]): Offer[] {
  return ACTION_NAMES.flatMap((action): Offer[] => {
    switch (action) {
      case 'muteParticipant':
      case 'stopParticipantVideo':
      case 'removeParticipant':
      case 'lowerHand':
      case 'setReader':
        return others.map((target) => ({ action, target }));
      case 'setTurner':
        return [...others.map((target) => ({ action, target })), { action, target: null }];
      default:
        return [{ action }];
    }
  });
}

/** The server's answer to `actor` attempting `offer`: 'accepted', or the refusal's code and reason. */
async function attempt(room: Room, people: Map<ActorName, Peer>, actor: Peer, offer: Offer): Promise<string> {
  const ctx = {
    connection: { membership: { room, peer: actor } },
    deps: { books: { find: async () => book }, iceServersFor: () => [], logger, isDraining: () => false },
  } as unknown as HandlerContext;
  const handler = handlers[offer.action] as (ctx: HandlerContext, payload: unknown) => Promise<unknown>;
  try {
    await handler(ctx, payloadOf(offer.action, offer.target, room, people));
    return 'accepted';
  } catch (error) {
    if (error instanceof SignalingError) return `${error.code}/${error.reason ?? '-'}`;
    throw error;
  }
}

const describeOffer = (offer: Offer, names: Map<string, string>) =>
  offer.target === undefined ? offer.action : `${offer.action}(${offer.target === null ? 'nobody' : names.get(offer.target)})`;

describe("the call screen's offers and the server's rules", () => {
  it('offers exactly what the server accepts, for every role in every room kind, storytime state and game', async () => {
    let compared = 0;
    for (const kind of KINDS) {
      for (const [state, game] of SCENARIOS) {
        for (const actorName of ACTORS.filter((name) => !(state === 'reader-left' && name === 'reader'))) {
          // The screen's view, built from what the server tells this person's tab.
          const { room: shown, people: shownPeople } = await roomIn(kind, state, game);
          const self = shownPeople.get(actorName)!;
          const names = new Map([...shownPeople].map(([name, peer]) => [peer.id, name]));
          const others = [...shownPeople.values()].filter((peer) => peer !== self).map((peer) => peer.id);
          const shownGame = gamePart(shown.games.snapshotFor(self.id));
          const facts = { selfId: self.id, role: self.role, room: shown.info(), storytime: shown.storytime.snapshot(), game: shownGame };
          const offered = new Set(offeredActions(facts, others).map((offer) => describeOffer(offer, names)));
          const situation = { actor: self, room: shown.info(), storytime: shown.storytime.snapshot(), game: shownGame };
          registry.closeAll('room-closed');

          for (const offer of candidates(others)) {
            // Each attempt in a fresh room in the same state, so no attempt changes another's answer.
            const { room, people } = await roomIn(kind, state, game);
            const byName = new Map([...shownPeople].map(([name, peer]) => [peer.id, people.get(name)!.id]));
            const target = offer.target == null ? offer.target : byName.get(offer.target);
            const answer = await attempt(room, people, people.get(actorName)!, { ...offer, target } as Offer);
            registry.closeAll('room-closed');

            const label = `${kind} / ${state} / ${game} / ${actorName}: ${describeOffer(offer, names)}`;
            // A move the game's own rules refuse (not this player's turn, the game over) was still permitted.
            const permitted = answer === 'accepted' || (offer.action === 'gameMove' && RULE_REFUSALS.has(answer));
            expect(`${label} ${offered.has(describeOffer(offer, names)) ? 'offered' : 'not offered'}`).toBe(
              `${label} ${permitted ? 'offered' : 'not offered'}`,
            );
            // A refusal carries the code and reason the permission table gives.
            const expected = permission(offer.action, situation, offer.target);
            if (!expected.allowed) expect(`${label}: ${answer}`).toBe(`${label}: ${expected.code}/${expected.reason}`);
            compared++;
          }
        }
      }
    }
    // 5 rooms x 6 storytime and game states x 3 or 4 people x some 33 offers each: the comparison really ran.
    expect(compared).toBeGreaterThan(3000);
  }, 120_000);
});
