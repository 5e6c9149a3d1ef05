import { assertAllowed, notFoundError } from './errors.ts';
import type { Peer } from './Peer.ts';
import { mayLowerHand, mayMuteParticipant, mayRemoveParticipant, mayStopParticipantVideo } from './protocol/index.ts';
import type { Room } from './Room.ts';

// What a host may do to others in the room. Every function asks the permission table
// (protocol/permissions.ts) itself, so no handler can forget to: a guest asking gets `forbidden`
// and nothing changes. A peer id from another room is simply not found here.

function target(room: Room, peerId: string): Peer {
  const peer = room.peer(peerId);
  if (!peer) throw notFoundError('no such participant');
  return peer;
}

/** Silences a participant's microphone at the server at once, and asks their app to show it muted. */
export async function muteParticipant(room: Room, actor: Peer, peerId: string): Promise<void> {
  assertAllowed(mayMuteParticipant({ actor }));
  const peer = target(room, peerId);
  for (const producer of peer.producers()) {
    if (producer.source === 'microphone' && !producer.paused) await room.setProducerPaused(peer, producer.producerId, true);
  }
  peer.channel.notify('moderated', { action: 'muted' });
}

/** Stops a participant's camera for everyone at once, and asks their app to turn it off. */
export async function stopParticipantVideo(room: Room, actor: Peer, peerId: string): Promise<void> {
  assertAllowed(mayStopParticipantVideo({ actor }));
  const peer = target(room, peerId);
  for (const producer of peer.producers()) {
    if (producer.source === 'camera') room.closeProducer(peer, producer.producerId);
  }
  peer.channel.notify('moderated', { action: 'video-stopped' });
}

/** Ends someone else's place in the call (never one's own: that is leaving). */
export function removeParticipant(room: Room, actor: Peer, peerId: string): void {
  assertAllowed(mayRemoveParticipant({ actor }, peerId));
  const peer = target(room, peerId);
  room.leave(peer, 'removed-by-host');
}

export function setHandRaised(room: Room, peer: Peer, raised: boolean): void {
  if (peer.handRaised === raised) return;
  peer.handRaised = raised;
  room.broadcast('handChanged', { peerId: peer.id, raised });
}

export function lowerHand(room: Room, actor: Peer, peerId: string): void {
  assertAllowed(mayLowerHand({ actor }));
  setHandRaised(room, target(room, peerId), false);
}
