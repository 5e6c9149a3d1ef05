export { SignalingServer, defaultSignalingOptions, type SignalingOptions } from './SignalingServer.ts';
export { RoomRegistry } from './RoomRegistry.ts';
export { Room, OPEN_ROOM_RULES, type RoomOptions, type RoomRules } from './Room.ts';
export { Peer, type PeerChannel } from './Peer.ts';
export type { Admissions, JoinGrant, SignalingDeps } from './handlers/index.ts';
export { SignalingError, toReplyError, forbiddenError, notFoundError, rateLimitedError, sessionNotStartedError } from './errors.ts';
export { FixedWindowCounter } from './FixedWindowCounter.ts';
export { defaultConnectionLimits, type ConnectionLimits } from './SignalingConnection.ts';
