import type { Logger } from 'pino';
import type { IceServer, ReplyData, RequestName, RequestPayload } from '../protocol/index.ts';
import type { Peer } from '../Peer.ts';
import type { Room } from '../Room.ts';
import type { RoomRegistry } from '../RoomRegistry.ts';
import type { SignalingConnection } from '../SignalingConnection.ts';
import { invalidStateError } from '../errors.ts';

/** Looks up rooms that exist in the database; db's RoomRepository satisfies it. */
export interface RoomDirectory {
  findById(roomId: string): Promise<{ id: string } | null>;
}

export interface SignalingDeps {
  registry: RoomRegistry;
  directory: RoomDirectory;
  logger: Logger;
  /** True once the server is stopping: running calls go on, new ones are refused. */
  isDraining: () => boolean;
  /** STUN/TURN servers with fresh credentials for an admitted participant. */
  iceServersFor: (peerId: string) => IceServer[];
}

export interface HandlerContext {
  connection: SignalingConnection;
  deps: SignalingDeps;
}

export type Handler<K extends RequestName> = (ctx: HandlerContext, payload: RequestPayload<K>) => Promise<ReplyData<K>>;

/** The room and peer of this connection, or an invalid-state error if it has not joined. */
export function joined(ctx: HandlerContext): { room: Room; peer: Peer } {
  const membership = ctx.connection.membership;
  if (!membership) throw invalidStateError('join a room first');
  return membership;
}
