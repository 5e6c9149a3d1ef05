import { callEntry } from '../callEntry.ts';
import { invalidStateError, rateLimitedError, SignalingError } from '../errors.ts';
import type { PlaceEnding } from '../EndedPlaces.ts';
import type { JoinReply, RequestPayload } from '../protocol/index.ts';
import type { JoinRequest, JoinResult, ResumeCredential, Room } from '../Room.ts';
import type { SignalingConnection } from '../SignalingConnection.ts';
import type { Handler, HandlerContext, SignalingDeps } from './context.ts';

// The one way into a call: admitted (by what the person holds, or by the resume credential of
// their place), then Room.join decides where they go, the connection takes that place, and the
// reply says so; the call's part of it is the same CallEntry a host's `admitted` brings.

export const joinRoom: Handler<'joinRoom'> = async (ctx, request) => {
  const { connection, deps } = ctx;
  const { resume } = request;
  // The same request again on the same connection (its answer was lost on a bad link) takes
  // the connection's own place again instead of failing with "already in a room" for ever.
  const mayJoin = () => !connection.hasPlace || (resume !== undefined && connection.holdsPlace(resume.peerId));
  if (!mayJoin()) throw invalidStateError('already in a room');
  // A connection let in past the per-address limit to take back one place is counted like any
  // other as soon as it is used for something else.
  if (!connection.mayJoinAs(resume?.peerId)) throw rateLimitedError('too many new connections from this address, wait a minute');

  const { room, join } = resume ? placeHeld(deps, request.displayName, connection, resume) : await admit(ctx, request);
  await room.whenMediaReady();
  if (connection.closed) throw invalidStateError('connection closed');
  if (!mayJoin()) throw invalidStateError('already in a room');
  const result = room.join(join);
  connection.takePlace(room, result);
  return joinReply(room, result, deps);
};

export const leaveRoom: Handler<'leaveRoom'> = async (ctx) => {
  if (!ctx.connection.leave()) throw invalidStateError('join a room first');
  return {};
};

/**
 * A returning tab takes back its place in a live room by its resume secret alone, without the
 * database (calls go on through a database outage) and even while draining; Room.join then
 * finds the place, and never sends it to the lobby again.
 */
function placeHeld(
  deps: SignalingDeps,
  displayName: string,
  channel: SignalingConnection,
  resume: ResumeCredential,
): { room: Room; join: JoinRequest } {
  const room = deps.registry.roomHoldingPlace(resume.peerId, resume.secret);
  if (!room) throw placeNotKept(deps.registry.endingOf(resume.peerId, resume.secret));
  return { room, join: { displayName, channel, resume } };
}

/** Someone new is admitted by what they hold (an open room's id, an invitation, a staff session). */
async function admit(ctx: HandlerContext, request: RequestPayload<'joinRoom'>): Promise<{ room: Room; join: JoinRequest }> {
  const { connection, deps } = ctx;
  if (deps.isDraining()) throw invalidStateError('server restarting', 'server-draining');
  const grant = await deps.admissions.grant({
    ...(request.roomId !== undefined ? { roomId: request.roomId } : {}),
    ...(request.invitation !== undefined ? { invitation: request.invitation } : {}),
    ...(connection.staffSessionId !== undefined ? { staffSessionId: connection.staffSessionId } : {}),
    address: connection.address,
  });
  const room = await deps.registry.getOrCreate(grant.roomId);
  room.applySettings(grant.settings);
  return { room, join: { displayName: request.displayName, channel: connection, role: grant.role } };
}

/** The answer to `joinRoom`: in the call (its CallEntry, as `admitted` would bring) or in the lobby. */
function joinReply(room: Room, result: JoinResult, deps: SignalingDeps): JoinReply {
  const joined = { room: room.info(), hostPresent: room.hostPresent };
  if (result.admission === 'lobby') {
    const { guest } = result;
    return { ...joined, admission: 'lobby', peerId: guest.id, resumeSecret: guest.secret, role: guest.role };
  }
  const { peer, mediaKept } = result;
  return { ...callEntry(room, peer, deps.iceServersFor(peer.id)), ...joined, admission: 'in', role: peer.role, mediaKept };
}

/**
 * The answer to a resume of a place no live room keeps: why it ended, when a host removed the
 * person, turned them away or ended the session (so the tab does not offer "join again" to a
 * closed door); otherwise simply that it is gone (away too long).
 */
function placeNotKept(ending: PlaceEnding | undefined): SignalingError {
  if (ending) return new SignalingError('forbidden', 'this place in the call has ended', ending);
  return new SignalingError('not-found', 'this place in the call is no longer kept', 'place-gone');
}
