import { describe, expect, it } from 'vitest';
import { ACTION_NAMES, ACTIONS, type ActionName, type Actor, type GameSituationPart, type Situation } from './permissions.ts';

// Every action against every role, in every room kind and storytime state where it matters. The
// expected answers are written out here, not computed from the module, so that changing a rule
// on purpose fails this test until the table below (and docs/design.md) say the same.
//
// The roles as the server gives them (Admissions): a guest in the call; the reader and the one
// the turning was handed to (both guests); a host; a host of another room, who is only a guest
// here (roles belong to one room); and staff: a signed-in coordinator, who comes in as host of
// every room, open rooms included. A staff host who is not a coordinator hosts only the rooms of
// their sessions and is a guest elsewhere, like the host of another room.

const COLUMNS = ['guest', 'reader', 'turner', 'host', 'other-host', 'staff'] as const;
type Column = (typeof COLUMNS)[number];
const ACTORS: Record<Column, Actor> = {
  guest: { id: 'guest', role: 'guest' },
  reader: { id: 'reader', role: 'guest' },
  turner: { id: 'turner', role: 'guest' },
  host: { id: 'host', role: 'host' },
  'other-host': { id: 'visitor', role: 'guest' },
  staff: { id: 'staff', role: 'host' },
};

/** Short words in the table for the reply reasons; each reason has one error code. */
const REFUSALS: Record<string, { code: string; reason: string }> = {
  'host-only': { code: 'forbidden', reason: 'host-only' },
  'not-yourself': { code: 'forbidden', reason: 'not-yourself' },
  'chat-off': { code: 'forbidden', reason: 'chat-off' },
  'reader-only': { code: 'forbidden', reason: 'storytime-reader-only' },
  'turner-only': { code: 'forbidden', reason: 'storytime-turner-only' },
  'listener-only': { code: 'forbidden', reason: 'storytime-listener-only' },
  'no-book': { code: 'invalid-state', reason: 'storytime-no-book' },
  'not-allowed': { code: 'invalid-state', reason: 'storytime-not-allowed' },
  'lead-only': { code: 'forbidden', reason: 'game-lead-only' },
  'players-only': { code: 'forbidden', reason: 'game-players-only' },
  'no-game': { code: 'invalid-state', reason: 'game-none' },
  'not-over': { code: 'invalid-state', reason: 'game-not-over' },
  'no-games': { code: 'invalid-state', reason: 'game-not-allowed' },
};

const book = { bookId: '7b0c1f6e-3d4a-4b59-9a57-3f7c2d1e0a11', title: 'Muumi', pageCount: 12, aspectRatio: 4 / 3 };
const STATES = {
  'nobody-reads': { book: null, readerId: null, turnerId: null },
  reading: { book, readerId: 'reader', turnerId: 'turner' },
  'reader-left': { book, readerId: null, turnerId: null },
} satisfies Record<string, Situation['storytime']>;
type StateName = keyof typeof STATES;
/**
 * The rooms: by kind, and "open" is one made from the start page, while "staff-open" is a room
 * of the same kind a coordinator made (it has hosts, so they keep the lead).
 */
const PLACES = {
  storytime: { kind: 'storytime', madeFromStartPage: false },
  open: { kind: 'open', madeFromStartPage: true },
  'staff-open': { kind: 'open', madeFromStartPage: false },
  'peer-group': { kind: 'peer-group', madeFromStartPage: false },
  play: { kind: 'play', madeFromStartPage: false },
} satisfies Record<string, Pick<Situation['room'], 'kind' | 'madeFromStartPage'>>;
type PlaceName = keyof typeof PLACES;
const KINDS = Object.keys(PLACES) as PlaceName[];

/**
 * Actions whose answer depends on the role only, the same in every room kind and state. Aimed
 * at someone: another participant, except where the row says "themselves".
 */
const ROLE_ONLY = `
  action                          guest         reader        turner        host          other-host    staff
  admitFromLobby                  host-only     host-only     host-only     yes           host-only     yes
  denyFromLobby                   host-only     host-only     host-only     yes           host-only     yes
  muteParticipant                 host-only     host-only     host-only     yes           host-only     yes
  stopParticipantVideo            host-only     host-only     host-only     yes           host-only     yes
  removeParticipant               host-only     host-only     host-only     yes           host-only     yes
  removeParticipant:themselves    host-only     host-only     host-only     not-yourself  host-only     not-yourself
  setRoomLocked                   host-only     host-only     host-only     yes           host-only     yes
  endSession                      host-only     host-only     host-only     yes           host-only     yes
  raiseHand                       yes           yes           yes           yes           yes           yes
  lowerHand                       host-only     host-only     host-only     yes           host-only     yes
  sendChat:chat-on                yes           yes           yes           yes           yes           yes
  sendChat:chat-off               chat-off      chat-off      chat-off      chat-off      chat-off      chat-off
  sendChat:children               chat-off      chat-off      chat-off      chat-off      chat-off      chat-off
`;

/**
 * Storytime, by room kind and state: "nobody-reads" (no book, nobody chosen), "reading" (a book
 * open; the reader handed the turning to someone) and "reader-left" (the book still open, its
 * reader gone). "-": there is no such person in that state.
 */
const STORYTIME = `
  kind       state        action     guest         reader        turner        host          other-host    staff
  storytime  nobody-reads openBook   reader-only   -             -             yes           reader-only   yes
  storytime  nobody-reads closeBook  reader-only   -             -             yes           reader-only   yes
  storytime  nobody-reads setTurner  reader-only   -             -             yes           reader-only   yes
  storytime  nobody-reads setReader  host-only     -             -             yes           host-only     yes
  storytime  nobody-reads turnPage   turner-only   -             -             no-book       turner-only   no-book
  storytime  nobody-reads pointAt    reader-only   -             -             reader-only   reader-only   reader-only
  storytime  nobody-reads lookHere   no-book       -             -             no-book       no-book       no-book
  storytime  reading      openBook   reader-only   yes           reader-only   yes           reader-only   yes
  storytime  reading      closeBook  reader-only   yes           reader-only   yes           reader-only   yes
  storytime  reading      setTurner  reader-only   yes           reader-only   yes           reader-only   yes
  storytime  reading      setReader  host-only     host-only     host-only     yes           host-only     yes
  storytime  reading      turnPage   turner-only   turner-only   yes           yes           turner-only   yes
  storytime  reading      pointAt    reader-only   yes           reader-only   reader-only   reader-only   reader-only
  storytime  reading      lookHere   yes           listener-only yes           yes           yes           yes
  storytime  reader-left  openBook   reader-only   -             -             yes           reader-only   yes
  storytime  reader-left  closeBook  reader-only   -             -             yes           reader-only   yes
  storytime  reader-left  setTurner  reader-only   -             -             yes           reader-only   yes
  storytime  reader-left  setReader  host-only     -             -             yes           host-only     yes
  storytime  reader-left  turnPage   turner-only   -             -             yes           turner-only   yes
  storytime  reader-left  pointAt    reader-only   -             -             reader-only   reader-only   reader-only
  storytime  reader-left  lookHere   yes           -             -             yes           yes           yes
  open       nobody-reads openBook   yes           -             -             yes           yes           yes
  open       nobody-reads closeBook  yes           -             -             yes           yes           yes
  open       nobody-reads setTurner  yes           -             -             yes           yes           yes
  open       nobody-reads setReader  host-only     -             -             yes           host-only     yes
  open       nobody-reads turnPage   turner-only   -             -             no-book       turner-only   no-book
  open       nobody-reads pointAt    reader-only   -             -             reader-only   reader-only   reader-only
  open       nobody-reads lookHere   no-book       -             -             no-book       no-book       no-book
  open       reading      openBook   reader-only   yes           reader-only   yes           reader-only   yes
  open       reading      closeBook  reader-only   yes           reader-only   yes           reader-only   yes
  open       reading      setTurner  reader-only   yes           reader-only   yes           reader-only   yes
  open       reading      setReader  host-only     host-only     host-only     yes           host-only     yes
  open       reading      turnPage   turner-only   turner-only   yes           yes           turner-only   yes
  open       reading      pointAt    reader-only   yes           reader-only   reader-only   reader-only   reader-only
  open       reading      lookHere   yes           listener-only yes           yes           yes           yes
  open       reader-left  openBook   yes           -             -             yes           yes           yes
  open       reader-left  closeBook  yes           -             -             yes           yes           yes
  open       reader-left  setTurner  yes           -             -             yes           yes           yes
  open       reader-left  setReader  host-only     -             -             yes           host-only     yes
  open       reader-left  turnPage   turner-only   -             -             yes           turner-only   yes
  open       reader-left  pointAt    reader-only   -             -             reader-only   reader-only   reader-only
  open       reader-left  lookHere   yes           -             -             yes           yes           yes
  staff-open nobody-reads openBook   reader-only   -             -             yes           reader-only   yes
  staff-open nobody-reads closeBook  reader-only   -             -             yes           reader-only   yes
  staff-open nobody-reads setTurner  reader-only   -             -             yes           reader-only   yes
  staff-open nobody-reads setReader  host-only     -             -             yes           host-only     yes
  staff-open nobody-reads turnPage   turner-only   -             -             no-book       turner-only   no-book
  staff-open nobody-reads pointAt    reader-only   -             -             reader-only   reader-only   reader-only
  staff-open nobody-reads lookHere   no-book       -             -             no-book       no-book       no-book
  staff-open reading      openBook   reader-only   yes           reader-only   yes           reader-only   yes
  staff-open reading      closeBook  reader-only   yes           reader-only   yes           reader-only   yes
  staff-open reading      setTurner  reader-only   yes           reader-only   yes           reader-only   yes
  staff-open reading      setReader  host-only     host-only     host-only     yes           host-only     yes
  staff-open reading      turnPage   turner-only   turner-only   yes           yes           turner-only   yes
  staff-open reading      pointAt    reader-only   yes           reader-only   reader-only   reader-only   reader-only
  staff-open reading      lookHere   yes           listener-only yes           yes           yes           yes
  staff-open reader-left  openBook   reader-only   -             -             yes           reader-only   yes
  staff-open reader-left  closeBook  reader-only   -             -             yes           reader-only   yes
  staff-open reader-left  setTurner  reader-only   -             -             yes           reader-only   yes
  staff-open reader-left  setReader  host-only     -             -             yes           host-only     yes
  staff-open reader-left  turnPage   turner-only   -             -             yes           turner-only   yes
  staff-open reader-left  pointAt    reader-only   -             -             reader-only   reader-only   reader-only
  staff-open reader-left  lookHere   yes           -             -             yes           yes           yes
  peer-group nobody-reads openBook   not-allowed   -             -             not-allowed   not-allowed   not-allowed
  peer-group nobody-reads closeBook  not-allowed   -             -             not-allowed   not-allowed   not-allowed
  peer-group nobody-reads setTurner  not-allowed   -             -             not-allowed   not-allowed   not-allowed
  peer-group nobody-reads setReader  not-allowed   -             -             not-allowed   not-allowed   not-allowed
  peer-group nobody-reads turnPage   not-allowed   -             -             not-allowed   not-allowed   not-allowed
  peer-group nobody-reads pointAt    not-allowed   -             -             not-allowed   not-allowed   not-allowed
  peer-group nobody-reads lookHere   not-allowed   -             -             not-allowed   not-allowed   not-allowed
  peer-group reading      openBook   not-allowed   not-allowed   not-allowed   not-allowed   not-allowed   not-allowed
  peer-group reading      closeBook  not-allowed   not-allowed   not-allowed   not-allowed   not-allowed   not-allowed
  peer-group reading      setTurner  not-allowed   not-allowed   not-allowed   not-allowed   not-allowed   not-allowed
  peer-group reading      setReader  not-allowed   not-allowed   not-allowed   not-allowed   not-allowed   not-allowed
  peer-group reading      turnPage   not-allowed   not-allowed   not-allowed   not-allowed   not-allowed   not-allowed
  peer-group reading      pointAt    not-allowed   not-allowed   not-allowed   not-allowed   not-allowed   not-allowed
  peer-group reading      lookHere   not-allowed   not-allowed   not-allowed   not-allowed   not-allowed   not-allowed
  peer-group reader-left  openBook   not-allowed   -             -             not-allowed   not-allowed   not-allowed
  peer-group reader-left  closeBook  not-allowed   -             -             not-allowed   not-allowed   not-allowed
  peer-group reader-left  setTurner  not-allowed   -             -             not-allowed   not-allowed   not-allowed
  peer-group reader-left  setReader  not-allowed   -             -             not-allowed   not-allowed   not-allowed
  peer-group reader-left  turnPage   not-allowed   -             -             not-allowed   not-allowed   not-allowed
  peer-group reader-left  pointAt    not-allowed   -             -             not-allowed   not-allowed   not-allowed
  peer-group reader-left  lookHere   not-allowed   -             -             not-allowed   not-allowed   not-allowed
  play       nobody-reads openBook   not-allowed   -             -             not-allowed   not-allowed   not-allowed
  play       nobody-reads closeBook  not-allowed   -             -             not-allowed   not-allowed   not-allowed
  play       nobody-reads setTurner  not-allowed   -             -             not-allowed   not-allowed   not-allowed
  play       nobody-reads setReader  not-allowed   -             -             not-allowed   not-allowed   not-allowed
  play       nobody-reads turnPage   not-allowed   -             -             not-allowed   not-allowed   not-allowed
  play       nobody-reads pointAt    not-allowed   -             -             not-allowed   not-allowed   not-allowed
  play       nobody-reads lookHere   not-allowed   -             -             not-allowed   not-allowed   not-allowed
  play       reading      openBook   not-allowed   not-allowed   not-allowed   not-allowed   not-allowed   not-allowed
  play       reading      closeBook  not-allowed   not-allowed   not-allowed   not-allowed   not-allowed   not-allowed
  play       reading      setTurner  not-allowed   not-allowed   not-allowed   not-allowed   not-allowed   not-allowed
  play       reading      setReader  not-allowed   not-allowed   not-allowed   not-allowed   not-allowed   not-allowed
  play       reading      turnPage   not-allowed   not-allowed   not-allowed   not-allowed   not-allowed   not-allowed
  play       reading      pointAt    not-allowed   not-allowed   not-allowed   not-allowed   not-allowed   not-allowed
  play       reading      lookHere   not-allowed   not-allowed   not-allowed   not-allowed   not-allowed   not-allowed
  play       reader-left  openBook   not-allowed   -             -             not-allowed   not-allowed   not-allowed
  play       reader-left  closeBook  not-allowed   -             -             not-allowed   not-allowed   not-allowed
  play       reader-left  setTurner  not-allowed   -             -             not-allowed   not-allowed   not-allowed
  play       reader-left  setReader  not-allowed   -             -             not-allowed   not-allowed   not-allowed
  play       reader-left  turnPage   not-allowed   -             -             not-allowed   not-allowed   not-allowed
  play       reader-left  pointAt    not-allowed   -             -             not-allowed   not-allowed   not-allowed
  play       reader-left  lookHere   not-allowed   -             -             not-allowed   not-allowed   not-allowed
`;

/**
 * The room's game: "none"; "noughts", a noughts-and-crosses game of the reader and the turner
 * that the reader started, being played; "noughts-over", the same game over; "board", a drawing
 * board the host opened (a board has no players: everyone draws).
 */
const GAME_STATES = {
  none: null,
  noughts: { kind: 'noughts-and-crosses', startedBy: 'reader', players: ['reader', 'turner'], over: false },
  'noughts-over': { kind: 'noughts-and-crosses', startedBy: 'reader', players: ['reader', 'turner'], over: true },
  board: { kind: 'drawing', startedBy: 'host', players: [], over: false },
} satisfies Record<string, GameSituationPart | null>;
type GameStateName = keyof typeof GAME_STATES;

/**
 * Games, by room kind and game state, with a book open whose reader ("reader", a guest) handed
 * the turning to "turner": the reader leads play as hosts do. A peer group never has a game
 * (the server ends one when a room becomes a peer group), so its rows with a game show only
 * what the rules would say.
 */
const GAMES = `
  kind       state        action       guest         reader        turner        host          other-host    staff
  storytime  none         startGame    lead-only     yes           lead-only     yes           lead-only     yes
  storytime  none         endGame      no-game       no-game       no-game       no-game       no-game       no-game
  storytime  none         rematch      no-game       no-game       no-game       no-game       no-game       no-game
  storytime  none         gameMove     no-game       no-game       no-game       no-game       no-game       no-game
  storytime  none         startStroke  no-game       no-game       no-game       no-game       no-game       no-game
  storytime  none         extendStroke no-game       no-game       no-game       no-game       no-game       no-game
  storytime  none         undoStroke   no-game       no-game       no-game       no-game       no-game       no-game
  storytime  none         clearBoard   no-game       no-game       no-game       no-game       no-game       no-game
  storytime  noughts      startGame    lead-only     yes           lead-only     yes           lead-only     yes
  storytime  noughts      endGame      lead-only     yes           yes           yes           lead-only     yes
  storytime  noughts      rematch      not-over      not-over      not-over      not-over      not-over      not-over
  storytime  noughts      gameMove     players-only  yes           yes           players-only  players-only  players-only
  storytime  noughts      startStroke  no-game       no-game       no-game       no-game       no-game       no-game
  storytime  noughts      extendStroke no-game       no-game       no-game       no-game       no-game       no-game
  storytime  noughts      undoStroke   no-game       no-game       no-game       no-game       no-game       no-game
  storytime  noughts      clearBoard   no-game       no-game       no-game       no-game       no-game       no-game
  storytime  noughts-over startGame    lead-only     yes           lead-only     yes           lead-only     yes
  storytime  noughts-over endGame      lead-only     yes           yes           yes           lead-only     yes
  storytime  noughts-over rematch      lead-only     yes           yes           yes           lead-only     yes
  storytime  noughts-over gameMove     players-only  yes           yes           players-only  players-only  players-only
  storytime  noughts-over startStroke  no-game       no-game       no-game       no-game       no-game       no-game
  storytime  noughts-over extendStroke no-game       no-game       no-game       no-game       no-game       no-game
  storytime  noughts-over undoStroke   no-game       no-game       no-game       no-game       no-game       no-game
  storytime  noughts-over clearBoard   no-game       no-game       no-game       no-game       no-game       no-game
  storytime  board        startGame    lead-only     yes           lead-only     yes           lead-only     yes
  storytime  board        endGame      lead-only     yes           lead-only     yes           lead-only     yes
  storytime  board        rematch      no-game       no-game       no-game       no-game       no-game       no-game
  storytime  board        gameMove     no-game       no-game       no-game       no-game       no-game       no-game
  storytime  board        startStroke  yes           yes           yes           yes           yes           yes
  storytime  board        extendStroke yes           yes           yes           yes           yes           yes
  storytime  board        undoStroke   yes           yes           yes           yes           yes           yes
  storytime  board        clearBoard   lead-only     yes           lead-only     yes           lead-only     yes
  open       none         startGame    yes           yes           yes           yes           yes           yes
  open       none         endGame      no-game       no-game       no-game       no-game       no-game       no-game
  open       none         rematch      no-game       no-game       no-game       no-game       no-game       no-game
  open       none         gameMove     no-game       no-game       no-game       no-game       no-game       no-game
  open       none         startStroke  no-game       no-game       no-game       no-game       no-game       no-game
  open       none         extendStroke no-game       no-game       no-game       no-game       no-game       no-game
  open       none         undoStroke   no-game       no-game       no-game       no-game       no-game       no-game
  open       none         clearBoard   no-game       no-game       no-game       no-game       no-game       no-game
  open       noughts      startGame    yes           yes           yes           yes           yes           yes
  open       noughts      endGame      yes           yes           yes           yes           yes           yes
  open       noughts      rematch      not-over      not-over      not-over      not-over      not-over      not-over
  open       noughts      gameMove     players-only  yes           yes           players-only  players-only  players-only
  open       noughts      startStroke  no-game       no-game       no-game       no-game       no-game       no-game
  open       noughts      extendStroke no-game       no-game       no-game       no-game       no-game       no-game
  open       noughts      undoStroke   no-game       no-game       no-game       no-game       no-game       no-game
  open       noughts      clearBoard   no-game       no-game       no-game       no-game       no-game       no-game
  open       noughts-over startGame    yes           yes           yes           yes           yes           yes
  open       noughts-over endGame      yes           yes           yes           yes           yes           yes
  open       noughts-over rematch      yes           yes           yes           yes           yes           yes
  open       noughts-over gameMove     players-only  yes           yes           players-only  players-only  players-only
  open       noughts-over startStroke  no-game       no-game       no-game       no-game       no-game       no-game
  open       noughts-over extendStroke no-game       no-game       no-game       no-game       no-game       no-game
  open       noughts-over undoStroke   no-game       no-game       no-game       no-game       no-game       no-game
  open       noughts-over clearBoard   no-game       no-game       no-game       no-game       no-game       no-game
  open       board        startGame    yes           yes           yes           yes           yes           yes
  open       board        endGame      yes           yes           yes           yes           yes           yes
  open       board        rematch      no-game       no-game       no-game       no-game       no-game       no-game
  open       board        gameMove     no-game       no-game       no-game       no-game       no-game       no-game
  open       board        startStroke  yes           yes           yes           yes           yes           yes
  open       board        extendStroke yes           yes           yes           yes           yes           yes
  open       board        undoStroke   yes           yes           yes           yes           yes           yes
  open       board        clearBoard   yes           yes           yes           yes           yes           yes
  staff-open none         startGame    lead-only     yes           lead-only     yes           lead-only     yes
  staff-open none         endGame      no-game       no-game       no-game       no-game       no-game       no-game
  staff-open none         rematch      no-game       no-game       no-game       no-game       no-game       no-game
  staff-open none         gameMove     no-game       no-game       no-game       no-game       no-game       no-game
  staff-open none         startStroke  no-game       no-game       no-game       no-game       no-game       no-game
  staff-open none         extendStroke no-game       no-game       no-game       no-game       no-game       no-game
  staff-open none         undoStroke   no-game       no-game       no-game       no-game       no-game       no-game
  staff-open none         clearBoard   no-game       no-game       no-game       no-game       no-game       no-game
  staff-open noughts      startGame    lead-only     yes           lead-only     yes           lead-only     yes
  staff-open noughts      endGame      lead-only     yes           yes           yes           lead-only     yes
  staff-open noughts      rematch      not-over      not-over      not-over      not-over      not-over      not-over
  staff-open noughts      gameMove     players-only  yes           yes           players-only  players-only  players-only
  staff-open noughts      startStroke  no-game       no-game       no-game       no-game       no-game       no-game
  staff-open noughts      extendStroke no-game       no-game       no-game       no-game       no-game       no-game
  staff-open noughts      undoStroke   no-game       no-game       no-game       no-game       no-game       no-game
  staff-open noughts      clearBoard   no-game       no-game       no-game       no-game       no-game       no-game
  staff-open noughts-over startGame    lead-only     yes           lead-only     yes           lead-only     yes
  staff-open noughts-over endGame      lead-only     yes           yes           yes           lead-only     yes
  staff-open noughts-over rematch      lead-only     yes           yes           yes           lead-only     yes
  staff-open noughts-over gameMove     players-only  yes           yes           players-only  players-only  players-only
  staff-open noughts-over startStroke  no-game       no-game       no-game       no-game       no-game       no-game
  staff-open noughts-over extendStroke no-game       no-game       no-game       no-game       no-game       no-game
  staff-open noughts-over undoStroke   no-game       no-game       no-game       no-game       no-game       no-game
  staff-open noughts-over clearBoard   no-game       no-game       no-game       no-game       no-game       no-game
  staff-open board        startGame    lead-only     yes           lead-only     yes           lead-only     yes
  staff-open board        endGame      lead-only     yes           lead-only     yes           lead-only     yes
  staff-open board        rematch      no-game       no-game       no-game       no-game       no-game       no-game
  staff-open board        gameMove     no-game       no-game       no-game       no-game       no-game       no-game
  staff-open board        startStroke  yes           yes           yes           yes           yes           yes
  staff-open board        extendStroke yes           yes           yes           yes           yes           yes
  staff-open board        undoStroke   yes           yes           yes           yes           yes           yes
  staff-open board        clearBoard   lead-only     yes           lead-only     yes           lead-only     yes
  peer-group none         startGame    no-games      no-games      no-games      no-games      no-games      no-games
  peer-group none         endGame      no-games      no-games      no-games      no-games      no-games      no-games
  peer-group none         rematch      no-games      no-games      no-games      no-games      no-games      no-games
  peer-group none         gameMove     no-game       no-game       no-game       no-game       no-game       no-game
  peer-group none         startStroke  no-game       no-game       no-game       no-game       no-game       no-game
  peer-group none         extendStroke no-game       no-game       no-game       no-game       no-game       no-game
  peer-group none         undoStroke   no-game       no-game       no-game       no-game       no-game       no-game
  peer-group none         clearBoard   no-games      no-games      no-games      no-games      no-games      no-games
  peer-group noughts      startGame    no-games      no-games      no-games      no-games      no-games      no-games
  peer-group noughts      endGame      no-games      no-games      no-games      no-games      no-games      no-games
  peer-group noughts      rematch      no-games      no-games      no-games      no-games      no-games      no-games
  peer-group noughts      gameMove     players-only  yes           yes           players-only  players-only  players-only
  peer-group noughts      startStroke  no-game       no-game       no-game       no-game       no-game       no-game
  peer-group noughts      extendStroke no-game       no-game       no-game       no-game       no-game       no-game
  peer-group noughts      undoStroke   no-game       no-game       no-game       no-game       no-game       no-game
  peer-group noughts      clearBoard   no-games      no-games      no-games      no-games      no-games      no-games
  peer-group noughts-over startGame    no-games      no-games      no-games      no-games      no-games      no-games
  peer-group noughts-over endGame      no-games      no-games      no-games      no-games      no-games      no-games
  peer-group noughts-over rematch      no-games      no-games      no-games      no-games      no-games      no-games
  peer-group noughts-over gameMove     players-only  yes           yes           players-only  players-only  players-only
  peer-group noughts-over startStroke  no-game       no-game       no-game       no-game       no-game       no-game
  peer-group noughts-over extendStroke no-game       no-game       no-game       no-game       no-game       no-game
  peer-group noughts-over undoStroke   no-game       no-game       no-game       no-game       no-game       no-game
  peer-group noughts-over clearBoard   no-games      no-games      no-games      no-games      no-games      no-games
  peer-group board        startGame    no-games      no-games      no-games      no-games      no-games      no-games
  peer-group board        endGame      no-games      no-games      no-games      no-games      no-games      no-games
  peer-group board        rematch      no-games      no-games      no-games      no-games      no-games      no-games
  peer-group board        gameMove     no-game       no-game       no-game       no-game       no-game       no-game
  peer-group board        startStroke  yes           yes           yes           yes           yes           yes
  peer-group board        extendStroke yes           yes           yes           yes           yes           yes
  peer-group board        undoStroke   yes           yes           yes           yes           yes           yes
  peer-group board        clearBoard   no-games      no-games      no-games      no-games      no-games      no-games
  play       none         startGame    yes           yes           yes           yes           yes           yes
  play       none         endGame      no-game       no-game       no-game       no-game       no-game       no-game
  play       none         rematch      no-game       no-game       no-game       no-game       no-game       no-game
  play       none         gameMove     no-game       no-game       no-game       no-game       no-game       no-game
  play       none         startStroke  no-game       no-game       no-game       no-game       no-game       no-game
  play       none         extendStroke no-game       no-game       no-game       no-game       no-game       no-game
  play       none         undoStroke   no-game       no-game       no-game       no-game       no-game       no-game
  play       none         clearBoard   no-game       no-game       no-game       no-game       no-game       no-game
  play       noughts      startGame    yes           yes           yes           yes           yes           yes
  play       noughts      endGame      yes           yes           yes           yes           yes           yes
  play       noughts      rematch      not-over      not-over      not-over      not-over      not-over      not-over
  play       noughts      gameMove     players-only  yes           yes           players-only  players-only  players-only
  play       noughts      startStroke  no-game       no-game       no-game       no-game       no-game       no-game
  play       noughts      extendStroke no-game       no-game       no-game       no-game       no-game       no-game
  play       noughts      undoStroke   no-game       no-game       no-game       no-game       no-game       no-game
  play       noughts      clearBoard   no-game       no-game       no-game       no-game       no-game       no-game
  play       noughts-over startGame    yes           yes           yes           yes           yes           yes
  play       noughts-over endGame      yes           yes           yes           yes           yes           yes
  play       noughts-over rematch      yes           yes           yes           yes           yes           yes
  play       noughts-over gameMove     players-only  yes           yes           players-only  players-only  players-only
  play       noughts-over startStroke  no-game       no-game       no-game       no-game       no-game       no-game
  play       noughts-over extendStroke no-game       no-game       no-game       no-game       no-game       no-game
  play       noughts-over undoStroke   no-game       no-game       no-game       no-game       no-game       no-game
  play       noughts-over clearBoard   no-game       no-game       no-game       no-game       no-game       no-game
  play       board        startGame    yes           yes           yes           yes           yes           yes
  play       board        endGame      yes           yes           yes           yes           yes           yes
  play       board        rematch      no-game       no-game       no-game       no-game       no-game       no-game
  play       board        gameMove     no-game       no-game       no-game       no-game       no-game       no-game
  play       board        startStroke  yes           yes           yes           yes           yes           yes
  play       board        extendStroke yes           yes           yes           yes           yes           yes
  play       board        undoStroke   yes           yes           yes           yes           yes           yes
  play       board        clearBoard   yes           yes           yes           yes           yes           yes
`;

type Row = { key: string[]; cells: Record<Column, string> };

/** The table's rows: the words before the six role columns are the row's key. */
function parse(table: string): Row[] {
  const lines = table.trim().split('\n').slice(1);
  return lines.map((line) => {
    const words = line.trim().split(/\s+/);
    const cells = words.slice(-COLUMNS.length);
    return { key: words.slice(0, -COLUMNS.length), cells: Object.fromEntries(COLUMNS.map((c, i) => [c, cells[i]])) as Record<Column, string> };
  });
}

/** The module's answer in the table's words. */
function answer(action: ActionName, situation: Situation, target: string | null): string {
  const permission = ACTIONS[action].check(situation, target);
  if (permission.allowed) return 'yes';
  const word = Object.entries(REFUSALS).find(([, r]) => r.reason === permission.reason && r.code === permission.code)?.[0];
  return word ?? `${permission.code}/${permission.reason}`;
}

describe('who may do what (protocol/permissions.ts)', () => {
  it('gives every role the written answer for the actions that depend on the role only, in every room and state', () => {
    for (const { key, cells } of parse(ROLE_ONLY)) {
      const [action, variant] = key[0]!.split(':') as [ActionName, string | undefined];
      for (const kind of KINDS) {
        for (const state of Object.keys(STATES) as StateName[]) {
          for (const column of COLUMNS) {
            const actor = ACTORS[column];
            const target = variant === 'themselves' ? actor.id : 'someone-else';
            const situation = {
              actor,
              room: { ...PLACES[kind], chatEnabled: variant !== 'chat-off', childrenPresent: variant === 'children' },
              storytime: STATES[state],
              game: null,
            };
            expect(`${key[0]} ${kind} ${state} ${column}: ${answer(action, situation, target)}`).toBe(
              `${key[0]} ${kind} ${state} ${column}: ${cells[column]}`,
            );
          }
        }
      }
    }
  });

  it('gives every role the written storytime answer in every room kind and state', () => {
    for (const { key, cells } of parse(STORYTIME)) {
      const [kind, state, action] = key as [PlaceName, StateName, ActionName];
      for (const column of COLUMNS) {
        if (cells[column] === '-') continue;
        const situation = { actor: ACTORS[column], room: { ...PLACES[kind], chatEnabled: true, childrenPresent: false }, storytime: STATES[state], game: null };
        expect(`${kind} ${state} ${action} ${column}: ${answer(action, situation, 'guest')}`).toBe(
          `${kind} ${state} ${action} ${column}: ${cells[column]}`,
        );
      }
    }
  });

  it('gives every role the written game answer in every room kind and game state', () => {
    for (const { key, cells } of parse(GAMES)) {
      const [kind, state, action] = key as [PlaceName, GameStateName, ActionName];
      for (const column of COLUMNS) {
        const situation = {
          actor: ACTORS[column],
          room: { ...PLACES[kind], chatEnabled: false, childrenPresent: true },
          storytime: STATES.reading,
          game: GAME_STATES[state],
        };
        expect(`${kind} ${state} ${action} ${column}: ${answer(action, situation, null)}`).toBe(
          `${kind} ${state} ${action} ${column}: ${cells[column]}`,
        );
      }
    }
  });

  it('has rows for every action in the table, so a new action cannot go untested', () => {
    const written = new Set(
      [...parse(ROLE_ONLY), ...parse(STORYTIME), ...parse(GAMES)].map((row) => (row.key.length === 1 ? row.key[0]!.split(':')[0] : row.key[2])),
    );
    expect([...written].sort()).toEqual([...ACTION_NAMES].sort());
    // Every storytime action in every room and state: 5 rooms x 3 states x 7 actions.
    expect(parse(STORYTIME)).toHaveLength(KINDS.length * Object.keys(STATES).length * 7);
    // Every game action in every room and game state: 5 rooms x 4 states x 8 actions.
    expect(parse(GAMES)).toHaveLength(KINDS.length * Object.keys(GAME_STATES).length * 8);
  });
});
