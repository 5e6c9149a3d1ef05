import { invalidStateError, notFoundError } from '../errors.ts';
import { joined, type Handler } from './context.ts';

export const joinRoom: Handler<'joinRoom'> = async (ctx, { roomId, displayName, resume }) => {
  const { connection, deps } = ctx;
  if (connection.membership) throw invalidStateError('already in a room');
  const live = deps.registry.get(roomId);
  const resuming = Boolean(resume && live?.peerInfos().some((p) => p.peerId === resume.peerId));
  if (deps.isDraining() && !resuming) throw invalidStateError('server restarting', 'server-draining');
  // A live room needs no database: calls keep working while PostgreSQL is away.
  if (!deps.registry.get(roomId)) {
    const record = await deps.directory.findById(roomId);
    if (!record) throw notFoundError('no such room');
  }
  const room = await deps.registry.getOrCreate(roomId);
  await room.whenMediaReady();
  if (connection.closed) throw invalidStateError('connection closed');
  if (connection.membership) throw invalidStateError('already in a room');
  const { peer, mediaKept } = room.join({ displayName, channel: connection, ...(resume ? { resume } : {}) });
  connection.membership = { room, peer };
  return {
    peerId: peer.id,
    resumeSecret: peer.resumeSecret,
    mediaKept,
    routerRtpCapabilities: room.routerRtpCapabilities,
    iceServers: deps.iceServersFor(peer.id),
    peers: room.peerInfos(peer),
  };
};

export const leaveRoom: Handler<'leaveRoom'> = async (ctx) => {
  const { room, peer } = joined(ctx);
  ctx.connection.membership = undefined;
  room.leave(peer, 'left');
  return {};
};
