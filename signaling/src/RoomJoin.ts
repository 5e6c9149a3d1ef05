import type { PeerChannel, Peer } from './Peer.ts';
import type { Role } from './protocol/index.ts';
import type { WaitingGuest } from './RoomLobby.ts';

// What asks to come into a room, and where it lands: the one way in (see Room.join).

/** The credential a tab holds for its place: the peer (or lobby guest) id and its resume secret. */
export interface ResumeCredential {
  peerId: string;
  secret: string;
  /** The tab still holds its transports and would keep them. */
  keepMedia?: boolean | undefined;
}

/**
 * Who asks to come in: someone new with the role their admission gave them, or a returning
 * tab with the credential of its place (the place's own role and name then stay).
 */
export type JoinRequest =
  | { displayName: string; channel: PeerChannel; role: Role; resume?: undefined }
  | { displayName: string; channel: PeerChannel; resume: ResumeCredential };

/** Where a join put the person: in the call (`mediaKept`: a resume kept its media) or in the lobby. */
export type JoinResult =
  | { admission: 'in'; peer: Peer; mediaKept: boolean }
  | { admission: 'lobby'; guest: WaitingGuest };
