import type { NotificationName, NotificationPayload } from './notifications.ts';
import type { Reply } from './replies.ts';
import type { ReplyData, RequestName, RequestPayload } from './requests.ts';
import type { PROTOCOL_VERSION_REFUSED } from './version.ts';

export * from './games/index.ts';
export * from './media.ts';
export * from './notifications.ts';
export * from './permissions.ts';
export * from './replies.ts';
export * from './requests.ts';
export * from './rest/index.ts';
export * from './storytime.ts';
export * from './text.ts';
export * from './textFields.ts';
export * from './version.ts';

/** Socket.IO's typed event map for client-to-server requests, derived from the schemas. */
export type ClientToServerEvents = {
  [K in RequestName]: (payload: RequestPayload<K>, ack: (reply: Reply<ReplyData<K>>) => void) => void;
};

/** Socket.IO's typed event map for server-to-client notifications. */
export type ServerToClientEvents = {
  [K in NotificationName]: (payload: NotificationPayload<K>) => void;
};

/** What a client sends in the Socket.IO handshake `auth`. */
export interface HandshakeAuth {
  protocolVersion: number;
  /**
   * This tab's place in a room (`joinRoom`'s peerId and resumeSecret), sent when it has one.
   * A connection that holds a live place is not counted against the new-connection limit per
   * address, so a household or venue behind one address always gets back in after a blip.
   */
  resume?: { peerId: string; secret: string };
}

/** Sent by the server when the handshake is refused, as `connect_error` data. */
export type HandshakeRefusal = { code: typeof PROTOCOL_VERSION_REFUSED; serverVersion: number };
