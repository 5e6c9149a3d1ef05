import type { Logger } from 'pino';
import type { IceServer, InvitationCredential, ReplyData, RequestName, RequestPayload, Role } from '../protocol/index.ts';
import type { Peer } from '../Peer.ts';
import type { Room, RoomRules } from '../Room.ts';
import type { RoomRegistry } from '../RoomRegistry.ts';
import type { SignalingConnection } from '../SignalingConnection.ts';
import { invalidStateError } from '../errors.ts';

/** Who may enter which room, and as what: the server's answer to a join request. */
export interface JoinGrant {
  roomId: string;
  role: Role;
  settings: RoomRules;
}

/**
 * Decides joins from what the person holds: an invitation, a staff session, or the id of an
 * open room. Throws a SignalingError (forbidden / not-found) when the answer is no.
 */
export interface Admissions {
  grant(request: {
    roomId?: string;
    invitation?: InvitationCredential;
    staffSessionId?: string;
    address: string;
  }): Promise<JoinGrant>;
}

/** A book on the shelf as storytime needs it; null when there is no such book. */
export interface BookCatalogue {
  find(bookId: string): Promise<{ bookId: string; title: string; pageCount: number; aspectRatio: number } | null>;
}

export interface SignalingDeps {
  registry: RoomRegistry;
  admissions: Admissions;
  logger: Logger;
  /** True once the server is stopping: running calls go on, new ones are refused. */
  isDraining: () => boolean;
  /** STUN/TURN servers with fresh credentials for an admitted participant. */
  iceServersFor: (peerId: string) => IceServer[];
  /** The book shelf, for opening a book in storytime. */
  books: BookCatalogue;
}

export interface HandlerContext {
  connection: SignalingConnection;
  deps: SignalingDeps;
}

export type Handler<K extends RequestName> = (ctx: HandlerContext, payload: RequestPayload<K>) => Promise<ReplyData<K>>;

/** The room and peer of this connection, or an invalid-state error if it is not in a call. */
export function joined(ctx: HandlerContext): { readonly room: Room; readonly peer: Peer } {
  const membership = ctx.connection.membership;
  if (!membership) throw invalidStateError('join a room first');
  return membership;
}
