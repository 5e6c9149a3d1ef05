import { invalidStateError, rateLimitedError, SignalingError } from '../errors.ts';
import type { PlaceEnding } from '../EndedPlaces.ts';
import type { Room } from '../Room.ts';
import type { Role } from '../protocol/index.ts';
import { joined, type Handler } from './context.ts';

export const joinRoom: Handler<'joinRoom'> = async (ctx, { roomId, invitation, displayName, resume }) => {
  const { connection, deps } = ctx;
  // The same request again on the same connection (its answer was lost on a bad link) takes
  // the connection's own place again instead of failing with "already in a room" for ever.
  const retryOfOwnPlace = () =>
    resume !== undefined && (connection.membership?.peer.id === resume.peerId || connection.waiting?.guestId === resume.peerId);
  if ((connection.membership || connection.waiting) && !retryOfOwnPlace()) throw invalidStateError('already in a room');
  // A connection let in past the per-address limit to take back one place is counted like any
  // other as soon as it is used for something else.
  if (!connection.mayJoinAs(resume?.peerId)) throw rateLimitedError('too many new connections from this address, wait a minute');

  // A returning tab takes back its place in a live room by its resume secret alone, without the
  // database (calls go on through a database outage) and even while draining; it is never sent
  // to the lobby again. Everyone else is admitted by what they hold.
  let room: Room;
  let role: Role = 'guest';
  if (resume) {
    const holding = deps.registry.roomHoldingPlace(resume.peerId, resume.secret);
    if (!holding) throw placeNotKept(deps.registry.endingOf(resume.peerId, resume.secret));
    room = holding;
  } else {
    if (deps.isDraining()) throw invalidStateError('server restarting', 'server-draining');
    const grant = await deps.admissions.grant({
      ...(roomId !== undefined ? { roomId } : {}),
      ...(invitation !== undefined ? { invitation } : {}),
      ...(connection.staffSessionId !== undefined ? { staffSessionId: connection.staffSessionId } : {}),
      address: connection.address,
    });
    room = await deps.registry.getOrCreate(grant.roomId);
    room.applySettings(grant.settings);
    role = grant.role;
  }
  await room.whenMediaReady();
  if (connection.closed) throw invalidStateError('connection closed');
  if ((connection.membership || connection.waiting) && !retryOfOwnPlace()) throw invalidStateError('already in a room');
  connection.membership = undefined;
  connection.waiting = undefined;

  const result = resume
    ? room.resume({ displayName, channel: connection, resume })
    : room.join({ displayName, role, channel: connection });
  if (result.admission === 'lobby') {
    connection.waiting = { room, guestId: result.guest.id };
    return {
      peerId: result.guest.id,
      resumeSecret: result.guest.secret,
      role: result.guest.role,
      admission: 'lobby',
      room: room.info(),
      hostPresent: room.hostPresent,
    };
  }
  const { peer, mediaKept } = result;
  connection.membership = { room, peer };
  return {
    peerId: peer.id,
    resumeSecret: peer.resumeSecret,
    role: peer.role,
    admission: 'in',
    room: room.info(),
    mediaKept,
    routerRtpCapabilities: room.routerRtpCapabilities,
    iceServers: deps.iceServersFor(peer.id),
    peers: room.peerInfos(peer),
    activeSpeaker: room.activeSpeaker,
    storytime: room.storytime.snapshot(),
    hostPresent: room.hostPresent,
  };
};

export const leaveRoom: Handler<'leaveRoom'> = async (ctx) => {
  const waiting = ctx.connection.waiting;
  if (waiting) {
    ctx.connection.waiting = undefined;
    waiting.room.leaveLobby(waiting.guestId);
    return {};
  }
  const { room, peer } = joined(ctx);
  ctx.connection.membership = undefined;
  room.leave(peer, 'left');
  return {};
};

/**
 * The answer to a resume of a place no live room keeps: why it ended, when a host removed the
 * person, turned them away or ended the session (so the tab does not offer "join again" to a
 * closed door); otherwise simply that it is gone (away too long).
 */
function placeNotKept(ending: PlaceEnding | undefined): SignalingError {
  if (ending) return new SignalingError('forbidden', 'this place in the call has ended', ending);
  return new SignalingError('not-found', 'this place in the call is no longer kept', 'place-gone');
}
