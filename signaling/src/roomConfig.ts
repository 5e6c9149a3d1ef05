import type { PlaceEnding } from './EndedPlaces.ts';
import type { RoomGamesOptions } from './games/RoomGames.ts';
import type { RoomInfo, RoomRules } from './protocol/index.ts';

// What a room is set up with: its own settings from the database, and the server's options.

/** The room's own settings, from the database, as signaling needs them (picked from the stored RoomSettings). */
export type { RoomRules };

/** An open room made from the start page: no lobby, chat on, twelve at most. */
export const OPEN_ROOM_RULES: RoomRules = {
  name: '',
  kind: 'open',
  groundRules: '',
  childrenPresent: false,
  chatEnabled: true,
  lobbyEnabled: false,
  capacity: 12,
  madeFromStartPage: true,
};

/** What the people in a room may know of its settings; chat is always off where children are. */
export function roomInfo(settings: RoomRules, locked: boolean): RoomInfo {
  return {
    name: settings.name,
    kind: settings.kind,
    groundRules: settings.groundRules,
    childrenPresent: settings.childrenPresent,
    chatEnabled: settings.chatEnabled && !settings.childrenPresent,
    locked,
    madeFromStartPage: settings.madeFromStartPage,
  };
}

export interface RoomOptions {
  /** How long an empty room keeps its router, so a quick reload does not rebuild it. */
  emptyRoomGraceMs: number;
  /** How long a participant whose signaling dropped keeps their place and media. */
  reconnectGraceMs: number;
  /** Most participants at once. */
  capacity: number;
  /**
   * A place ended in a way its tab must hear about even if it was away at that moment (see
   * EndedPlaces): the registry remembers it for the reconnect grace period.
   */
  placeEnded?: (peerId: string, secret: string, ending: PlaceEnding) => void;
  /** The games' options (lower drawing caps in tests); the protocol's defaults otherwise. */
  games?: RoomGamesOptions;
}
