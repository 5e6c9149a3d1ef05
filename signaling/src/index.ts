export { SignalingServer, defaultSignalingOptions, type SignalingOptions } from './SignalingServer.ts';
export { RoomRegistry } from './RoomRegistry.ts';
export { Room, type RoomOptions } from './Room.ts';
export { Peer, type PeerChannel } from './Peer.ts';
export type { RoomDirectory, SignalingDeps } from './handlers/index.ts';
export { SignalingError, toReplyError } from './errors.ts';
export { FixedWindowCounter } from './FixedWindowCounter.ts';
export { defaultConnectionLimits, type ConnectionLimits } from './SignalingConnection.ts';
