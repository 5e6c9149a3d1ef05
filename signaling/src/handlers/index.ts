import type { RequestName } from '../protocol/index.ts';
import type { Handler } from './context.ts';
import * as media from './media.ts';
import * as room from './room.ts';

/** Every request has exactly one handler; TypeScript fails the build if one is missing. */
export const handlers: { [K in RequestName]: Handler<K> } = {
  joinRoom: room.joinRoom,
  leaveRoom: room.leaveRoom,
  createTransport: media.createTransport,
  connectTransport: media.connectTransport,
  restartIce: media.restartIce,
  produce: media.produce,
  closeProducer: media.closeProducer,
  setProducerPaused: media.setProducerPaused,
  consume: media.consume,
  resumeConsumer: media.resumeConsumer,
  setConsumerPreferences: media.setConsumerPreferences,
  setReceiveVideo: media.setReceiveVideo,
};

export type { HandlerContext, RoomDirectory, SignalingDeps } from './context.ts';
