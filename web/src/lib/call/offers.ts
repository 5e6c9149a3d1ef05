import {
  ACTION_NAMES,
  permission,
  type ActionName,
  type GameSituationPart,
  type Role,
  type RoomInfo,
  type Situation,
  type StorytimeState,
} from '@tupa/signaling/protocol';

// What the call screen offers this person, decided by the same permission table the server
// enforces (protocol/permissions.ts), from what the server told this tab: its peer id, its role,
// the room, the storytime state and the game being played. The components ask here instead of
// looking at the role themselves; each then leaves out what would change nothing (a hand that is
// not raised, a microphone already off), which is a matter of the moment, not of permission.

/** What this tab knows of the call, as the server last said it (nulls before joining). */
export interface CallFacts {
  selfId: string | null;
  role: Role | null;
  room: Pick<RoomInfo, 'kind' | 'madeFromStartPage' | 'chatEnabled' | 'childrenPresent'> | null;
  storytime: Pick<StorytimeState, 'book' | 'readerId' | 'turnerId'> | null;
  /** The game being played (its kind, who started it, who plays, whether it is over); null or absent: none. */
  game?: GameSituationPart | null;
}

/** An action the screen offers, and whom it is aimed at where it is aimed at someone. */
export interface Offer {
  action: ActionName;
  /** A participant's peer id; null for "nobody" (taking the page turning back). */
  target?: string | null;
}

const NO_BOOK: Situation['storytime'] = { book: null, readerId: null, turnerId: null };

/** The permission table's view of this tab, or null until it is in a room. */
export function situationOf(facts: CallFacts): Situation | null {
  if (facts.selfId === null || facts.role === null || facts.room === null) return null;
  return {
    actor: { id: facts.selfId, role: facts.role },
    room: facts.room,
    storytime: facts.storytime ?? NO_BOOK,
    game: facts.game ?? null,
  };
}

/** Whether the screen offers `action` (aimed at `target`, where it is aimed at someone). */
export function offers(facts: CallFacts, action: ActionName, target?: string | null): boolean {
  const situation = situationOf(facts);
  return situation !== null && permission(action, situation, target).allowed;
}

/**
 * Whom the screen lets an action be aimed at: the others' tiles carry the host's options for
 * each of them, the book's menu names the others for reading and turning and has "take the
 * turning back" (null). Actions aimed at nobody in particular have one offer without a target.
 */
function targetsOf(action: ActionName, others: readonly string[]): readonly (string | null | undefined)[] {
  switch (action) {
    case 'muteParticipant':
    case 'stopParticipantVideo':
    case 'removeParticipant':
    case 'lowerHand':
    case 'setReader':
      return others;
    case 'setTurner':
      return [...others, null];
    default:
      return [undefined];
  }
}

/** Every action the screen offers in this state, aimed at each of `others` (their peer ids) where that applies. */
export function offeredActions(facts: CallFacts, others: readonly string[]): Offer[] {
  const offered: Offer[] = [];
  for (const action of ACTION_NAMES) {
    for (const target of targetsOf(action, others)) {
      if (offers(facts, action, target)) offered.push(target === undefined ? { action } : { action, target });
    }
  }
  return offered;
}

/** The room's host tools: the lobby, the lock, the end of the session. */
export const ROOM_TOOLS = ['admitFromLobby', 'denyFromLobby', 'setRoomLocked', 'endSession'] as const satisfies readonly ActionName[];

/** The options on someone's tile: lower their hand, mute, stop their camera, remove them. */
export const PEER_TOOLS = ['lowerHand', 'muteParticipant', 'stopParticipantVideo', 'removeParticipant'] as const satisfies readonly ActionName[];

/** Whether the screen offers any of `actions` (aimed at `target`). */
export function offersAny(facts: CallFacts, actions: readonly ActionName[], target?: string | null): boolean {
  return actions.some((action) => offers(facts, action, target));
}

/** The facts of a call session as the components hold it. */
export function factsOf(session: {
  selfId: string | null;
  role: Role | null;
  room: CallFacts['room'];
  storytime: { state: CallFacts['storytime'] };
  games: { situation: GameSituationPart | null };
}): CallFacts {
  return {
    selfId: session.selfId,
    role: session.role,
    room: session.room,
    storytime: session.storytime.state,
    game: session.games.situation,
  };
}
