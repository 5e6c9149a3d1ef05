import type { Peer } from './Peer.ts';
import type { CallEntry, IceServer } from './protocol/index.ts';
import type { Room } from './Room.ts';

/**
 * What `peer` is told the moment it is in the call, whichever way it came: the `'in'` answer to
 * `joinRoom` (direct or resumed) and the `admitted` notice from the lobby both carry exactly
 * this, so the two cannot drift. `iceServers`: fresh TURN credentials for this peer.
 */
export function callEntry(room: Room, peer: Peer, iceServers: IceServer[]): CallEntry {
  return {
    peerId: peer.id,
    resumeSecret: peer.resumeSecret,
    routerRtpCapabilities: room.routerRtpCapabilities,
    iceServers,
    peers: room.peerInfos(peer),
    activeSpeaker: room.activeSpeaker,
    storytime: room.storytime.snapshot(),
    // The game as this person may see it, so a late joiner or a resumed tab lands in it.
    game: room.games.snapshotFor(peer.id),
  };
}
