export { MediaServer } from './MediaServer.ts';
export { RoomMedia, type RoomMediaCloseReason } from './RoomMedia.ts';
export { PeerMedia, spatialLayerForHeight } from './PeerMedia.ts';
export { SafeEmitter } from './SafeEmitter.ts';
export { MediaInvalidStateError, MediaNotFoundError } from './errors.ts';
export { PEER_LIMITS, type MediaServerOptions } from './options.ts';
export type { Logger } from './logger.ts';
export type * from './types.ts';
