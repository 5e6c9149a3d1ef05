import type { ErrorCode, ErrorReason } from './replies.ts';
import type { RequestName, Role, RoomInfo } from './requests.ts';
import type { GameState } from './games/schemas.ts';
import type { StorytimeState } from './storytime.ts';

// Who may do what in a room, written once. Pure predicates over the protocol's own types: the
// server calls them before every change (and refuses with the refusal's code and reason), and
// the browser calls the same ones to decide what to offer, so the two cannot drift apart.
// Presence of a target, page ranges and the like are the domain's own checks, not rules of who
// may act; the role always comes from the server (Admissions), never from the client.

/** Who asks: their peer id in the room and the role the server gave them there. */
export interface Actor {
  readonly id: string;
  readonly role: Role;
}

/** What the game rules need of the room's game: its kind, who started it, who plays, whether it is over. */
export type GameSituationPart = { kind: GameState['view']['kind'] } & Pick<GameState, 'startedBy' | 'players' | 'over'>;

/** Everything the rules look at: who asks, the room as they know it, its storytime and its game. */
export interface Situation {
  actor: Actor;
  room: Pick<RoomInfo, 'kind' | 'madeFromStartPage' | 'chatEnabled' | 'childrenPresent'>;
  storytime: Pick<StorytimeState, 'book' | 'readerId' | 'turnerId'>;
  game: GameSituationPart | null;
}

/** What the game rules need: the room's kind, the storytime's reader, the game being played. */
export type GameSituation = {
  actor: Actor;
  room: Pick<RoomInfo, 'kind' | 'madeFromStartPage'>;
  storytime: Pick<StorytimeState, 'readerId'>;
  game: GameSituationPart | null;
};

/** What the storytime rules need: the room's kind, not its chat. */
export type StorytimeSituation = {
  actor: Actor;
  room: Pick<RoomInfo, 'kind' | 'madeFromStartPage'>;
  storytime: Situation['storytime'];
};

/** A no: the reply error's code and reason the server answers with, and a short message. */
export interface Refusal {
  readonly allowed: false;
  readonly code: Extract<ErrorCode, 'forbidden' | 'invalid-state'>;
  readonly reason: ErrorReason;
  readonly message: string;
}

/** Yes, or a refusal. */
export type Permission = { readonly allowed: true } | Refusal;

const ALLOWED: Permission = Object.freeze({ allowed: true });

const refuse = (code: Refusal['code'], reason: ErrorReason, message: string): Refusal =>
  Object.freeze({ allowed: false, code, reason, message });

const HOST_ONLY = refuse('forbidden', 'host-only', 'only a host may do this');
const NOT_YOURSELF = refuse('forbidden', 'not-yourself', 'use leave to leave');
const CHAT_OFF = refuse('forbidden', 'chat-off', 'chat is off in this room');
const NO_STORYTIME = refuse('invalid-state', 'storytime-not-allowed', 'this room has no storytime');
const LEADERS_ONLY = refuse('forbidden', 'storytime-reader-only', 'only the reader or a host may do this');
const READER_ONLY = refuse('forbidden', 'storytime-reader-only', 'only the reader may point');
const TURNER_ONLY = refuse('forbidden', 'storytime-turner-only', 'only the one turning the pages may turn them');
const LISTENERS_ONLY = refuse('forbidden', 'storytime-listener-only', 'the reader points instead');
const NO_BOOK = refuse('invalid-state', 'storytime-no-book', 'no book is open');
const NO_GAMES = refuse('invalid-state', 'game-not-allowed', 'games are for rooms children take part in');
const PLAY_LEADS_ONLY = refuse('forbidden', 'game-lead-only', 'only a host, the reader or whoever started the game may do this');
const PLAYERS_ONLY = refuse('forbidden', 'game-players-only', 'only the players move; the others watch');
const NO_GAME = refuse('invalid-state', 'game-none', 'no game is being played');
const NO_BOARD = refuse('invalid-state', 'game-none', 'no drawing board is open');
const NOT_OVER = refuse('invalid-state', 'game-not-over', 'a rematch is for a game that is over');

/** Rooms with a shared picture book: storytime rooms and open meeting places (every room made from the start page is one). */
const STORYTIME_KINDS: ReadonlySet<RoomInfo['kind']> = new Set(['storytime', 'open']);

const hostOnly = (actor: Actor): Permission => (actor.role === 'host' ? ALLOWED : HOST_ONLY);

// --- the lobby and the room ------------------------------------------------------------------

/** `admitFromLobby`: hosts let people in from the lobby. */
export function mayAdmitFromLobby({ actor }: Pick<Situation, 'actor'>): Permission {
  return hostOnly(actor);
}

/** `denyFromLobby`: hosts turn people away from the lobby. */
export function mayDenyFromLobby({ actor }: Pick<Situation, 'actor'>): Permission {
  return hostOnly(actor);
}

/** `setRoomLocked`: hosts lock the room (nobody new comes in) and unlock it. */
export function maySetRoomLocked({ actor }: Pick<Situation, 'actor'>): Permission {
  return hostOnly(actor);
}

/** `endSession`: hosts end the session for everyone. */
export function mayEndSession({ actor }: Pick<Situation, 'actor'>): Permission {
  return hostOnly(actor);
}

// --- acting on a participant -------------------------------------------------------------------

/** `muteParticipant`: hosts silence a participant's microphone. */
export function mayMuteParticipant({ actor }: Pick<Situation, 'actor'>): Permission {
  return hostOnly(actor);
}

/** `stopParticipantVideo`: hosts stop a participant's camera. */
export function mayStopParticipantVideo({ actor }: Pick<Situation, 'actor'>): Permission {
  return hostOnly(actor);
}

/**
 * `removeParticipant`: hosts remove someone else from the session. Removing oneself is refused
 * (`not-yourself`): leaving is `leaveRoom`, which keeps no "removed" mark on the place.
 */
export function mayRemoveParticipant({ actor }: Pick<Situation, 'actor'>, peerId?: string | null): Permission {
  if (actor.role !== 'host') return HOST_ONLY;
  return peerId === actor.id ? NOT_YOURSELF : ALLOWED;
}

/** `lowerHand`: hosts lower someone's raised hand (after giving them the word). */
export function mayLowerHand({ actor }: Pick<Situation, 'actor'>): Permission {
  return hostOnly(actor);
}

/** `raiseHand`: everyone in the call raises and lowers their own hand. */
export function mayRaiseHand(_situation: Pick<Situation, 'actor'>): Permission {
  return ALLOWED;
}

/**
 * `sendChat`: everyone, where the room has chat, and never where children take part (chat is
 * not moderated as it happens, so children's rooms have none, whatever the setting says).
 */
export function maySendChat({ room }: Pick<Situation, 'room'>): Permission {
  return room.chatEnabled && !room.childrenPresent ? ALLOWED : CHAT_OFF;
}

// --- storytime -----------------------------------------------------------------------------------

function storytimeRoom(room: Pick<RoomInfo, 'kind'>): Refusal | null {
  return STORYTIME_KINDS.has(room.kind) ? null : NO_STORYTIME;
}

/**
 * Hosts and the reader lead the reading: they open and close books and hand the turning over.
 * A room made from the start page has no hosts, so there, while nobody reads, anyone may take
 * the lead: a grandparent who sends the link to a grandchild can read them a book. A room a
 * coordinator made keeps the lead with its hosts, whatever its kind.
 */
function leads({ actor, room, storytime }: StorytimeSituation): Permission {
  if (actor.role === 'host' || actor.id === storytime.readerId) return ALLOWED;
  if (room.madeFromStartPage && storytime.readerId === null) return ALLOWED;
  return LEADERS_ONLY;
}

/** `openBook`: hosts and the reader (in a room made from the start page that nobody reads in: anyone), where storytime is. */
export function mayOpenBook(situation: StorytimeSituation): Permission {
  return storytimeRoom(situation.room) ?? leads(situation);
}

/** `closeBook`: as `openBook`; closing a closed book is allowed and changes nothing. */
export function mayCloseBook(situation: StorytimeSituation): Permission {
  return storytimeRoom(situation.room) ?? leads(situation);
}

/** `setTurner`: as `openBook`; hands the page turning to someone, or takes it back. */
export function maySetTurner(situation: StorytimeSituation): Permission {
  return storytimeRoom(situation.room) ?? leads(situation);
}

/** `setReader`: hosts choose who reads, where storytime is. */
export function maySetReader({ actor, room }: StorytimeSituation): Permission {
  return storytimeRoom(room) ?? hostOnly(actor);
}

/**
 * `turnPage`: whoever turns (the one it was handed to, else the reader) and hosts (so a
 * volunteer can help when a child turns too fast), while a book is open.
 */
export function mayTurnPage({ actor, room, storytime }: StorytimeSituation): Permission {
  const notHere = storytimeRoom(room);
  if (notHere) return notHere;
  const turnerId = storytime.turnerId ?? storytime.readerId;
  if (actor.role !== 'host' && actor.id !== turnerId) return TURNER_ONLY;
  return storytime.book ? ALLOWED : NO_BOOK;
}

/** `pointAt`: the reader shows where they point, while a book is open. */
export function mayPointAt({ actor, room, storytime }: StorytimeSituation): Permission {
  const notHere = storytimeRoom(room);
  if (notHere) return notHere;
  if (actor.id !== storytime.readerId) return READER_ONLY;
  return storytime.book ? ALLOWED : NO_BOOK;
}

/** `lookHere`: everyone but the reader (who points instead) taps the page, while a book is open. */
export function mayLookHere({ actor, room, storytime }: StorytimeSituation): Permission {
  const notHere = storytimeRoom(room);
  if (notHere) return notHere;
  if (!storytime.book) return NO_BOOK;
  return actor.id === storytime.readerId ? LISTENERS_ONLY : ALLOWED;
}

/**
 * Who is shown a listener's "look here" tap: the reader and the hosts, who lead the reading;
 * never the one who tapped, and nobody else (a tap is a quiet word to the reader, not a pointer
 * everyone sees).
 */
export function hearsLookHere(listener: Actor, tapper: Actor, storytime: Pick<StorytimeState, 'readerId'>): boolean {
  return listener.id !== tapper.id && (listener.role === 'host' || listener.id === storytime.readerId);
}

// --- games --------------------------------------------------------------------------------------

/**
 * Who leads play: hosts and the storytime's reader; in a play room and in a room made from the
 * start page (which has no hosts), everyone. Peer groups, rooms for parents, have no games.
 */
function leadsPlay({ actor, room, storytime }: GameSituation): Permission {
  if (room.kind === 'peer-group') return NO_GAMES;
  if (actor.role === 'host' || actor.id === storytime.readerId) return ALLOWED;
  if (room.kind === 'play' || room.madeFromStartPage) return ALLOWED;
  return PLAY_LEADS_ONLY;
}

/** `startGame`: whoever leads play (hosts, the reader; everyone in a play room or a room made from the start page); it replaces a game being played. */
export function mayStartGame(situation: GameSituation): Permission {
  return leadsPlay(situation);
}

/** `endGame`: whoever leads play, whoever started the game, and its players, while one is being played. */
export function mayEndGame(situation: GameSituation): Permission {
  const { actor, game } = situation;
  if (situation.room.kind === 'peer-group') return NO_GAMES;
  if (!game) return NO_GAME;
  if (actor.id === game.startedBy || game.players.includes(actor.id)) return ALLOWED;
  return leadsPlay(situation);
}

/** `rematch`: once a game (not the board) is over, its players and whoever leads play start it again in one tap. */
export function mayRematch(situation: GameSituation): Permission {
  const { actor, game } = situation;
  if (situation.room.kind === 'peer-group') return NO_GAMES;
  if (!game || game.kind === 'drawing') return NO_GAME;
  if (!game.over) return NOT_OVER;
  return game.players.includes(actor.id) ? ALLOWED : leadsPlay(situation);
}

/** `gameMove`: the game's players; turn order and legality are the game's own rules (games/*.ts). */
export function mayMoveInGame({ actor, game }: GameSituation): Permission {
  if (!game || game.kind === 'drawing') return NO_GAME;
  return game.players.includes(actor.id) ? ALLOWED : PLAYERS_ONLY;
}

/** `startStroke`, `extendStroke`, `undoStroke`: everyone draws on an open board (within the limits of DRAWING_LIMITS). */
export function mayDraw({ game }: GameSituation): Permission {
  return game?.kind === 'drawing' ? ALLOWED : NO_BOARD;
}

/**
 * `clearBoard`: as `endGame` for the board: whoever leads play and whoever opened it. Where
 * everyone leads play (a play room, a room made from the start page, which have no hosts) that
 * is everyone, so a board whose opener left can still be cleared; the screen asks once first.
 */
export function mayClearBoard(situation: GameSituation): Permission {
  const { actor, game } = situation;
  if (situation.room.kind === 'peer-group') return NO_GAMES;
  if (game?.kind !== 'drawing') return NO_BOARD;
  return actor.id === game.startedBy ? ALLOWED : leadsPlay(situation);
}

// --- the table -----------------------------------------------------------------------------------

/** One rule: its predicate, and who may, in plain words (for docs/design.md and for reading). */
export interface ActionRule {
  /** `target`: the peer id an action is aimed at, where it is aimed at someone. */
  readonly check: (situation: Situation, target?: string | null) => Permission;
  readonly who: string;
}

/**
 * Every request whose answer depends on who asks, by request name. Requests not listed (joining,
 * leaving, one's own media) are open to everyone in the call. Tests and the design document
 * iterate over this table, so a new action is added here first.
 */
export const ACTIONS = {
  admitFromLobby: { check: mayAdmitFromLobby, who: 'hosts' },
  denyFromLobby: { check: mayDenyFromLobby, who: 'hosts' },
  muteParticipant: { check: mayMuteParticipant, who: 'hosts' },
  stopParticipantVideo: { check: mayStopParticipantVideo, who: 'hosts' },
  removeParticipant: { check: mayRemoveParticipant, who: 'hosts, not on themselves' },
  setRoomLocked: { check: maySetRoomLocked, who: 'hosts' },
  endSession: { check: mayEndSession, who: 'hosts' },
  raiseHand: { check: mayRaiseHand, who: 'everyone (their own hand)' },
  lowerHand: { check: mayLowerHand, who: 'hosts' },
  sendChat: { check: maySendChat, who: 'everyone, where chat is on and no children take part' },
  openBook: { check: mayOpenBook, who: 'hosts and the reader; anyone in a room made from the start page that nobody reads in' },
  closeBook: { check: mayCloseBook, who: 'as openBook' },
  setTurner: { check: maySetTurner, who: 'as openBook' },
  setReader: { check: maySetReader, who: 'hosts' },
  turnPage: { check: mayTurnPage, who: 'the one turning (else the reader) and hosts, with a book open' },
  pointAt: { check: mayPointAt, who: 'the reader, with a book open' },
  lookHere: { check: mayLookHere, who: 'everyone but the reader, with a book open' },
  startGame: { check: mayStartGame, who: 'hosts and the reader; everyone in a play room or a room made from the start page; no games in peer groups' },
  endGame: { check: mayEndGame, who: 'as startGame, and whoever started the game and its players' },
  rematch: { check: mayRematch, who: 'its players and as startGame, once the game is over' },
  gameMove: { check: mayMoveInGame, who: 'the players (in turn, by the game\'s rules)' },
  startStroke: { check: mayDraw, who: 'everyone, with the drawing board open' },
  extendStroke: { check: mayDraw, who: 'as startStroke' },
  undoStroke: { check: mayDraw, who: 'as startStroke (their own last stroke)' },
  clearBoard: { check: mayClearBoard, who: 'as startGame, and whoever opened the board' },
} as const satisfies { [K in RequestName]?: ActionRule };

export type ActionName = keyof typeof ACTIONS;
export const ACTION_NAMES = Object.keys(ACTIONS) as ActionName[];

/** Whether `situation.actor` may do `action` (aimed at `target`, where it is aimed at someone). */
export function permission(action: ActionName, situation: Situation, target?: string | null): Permission {
  const rule: ActionRule = ACTIONS[action];
  return rule.check(situation, target);
}
