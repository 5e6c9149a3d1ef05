import { assertAllowed, rateLimitedError } from './errors.ts';
import type { Peer } from './Peer.ts';
import { maySendChat } from './protocol/index.ts';
import type { Room } from './Room.ts';

// The room's chat: broadcast to everyone in the room and never stored, so nothing of it outlives
// the call. Off where children are (see Room.info), and each sender has a small budget of lines.

/** Sends a chat line to everyone in the room, if the room has chat; a few lines a second at most. */
export function sendChat(room: Room, peer: Peer, text: string): void {
  assertAllowed(maySendChat({ room: room.info() }));
  if (!peer.chatBudget.take()) throw rateLimitedError('slow down a little');
  room.broadcast('chatMessage', { peerId: peer.id, displayName: peer.displayName, text, sentAt: Date.now() });
}
