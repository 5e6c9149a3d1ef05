import type { RequestName } from '../protocol/index.ts';
import type { Handler } from './context.ts';
import * as chat from './chat.ts';
import * as games from './games.ts';
import * as media from './media.ts';
import * as moderation from './moderation.ts';
import * as room from './room.ts';
import * as storytime from './storytime.ts';

/** Every request has exactly one handler; TypeScript fails the build if one is missing. */
export const handlers: { [K in RequestName]: Handler<K> } = {
  joinRoom: room.joinRoom,
  leaveRoom: room.leaveRoom,
  admitFromLobby: moderation.admitFromLobby,
  denyFromLobby: moderation.denyFromLobby,
  muteParticipant: moderation.muteParticipant,
  stopParticipantVideo: moderation.stopParticipantVideo,
  removeParticipant: moderation.removeParticipant,
  setRoomLocked: moderation.setRoomLocked,
  endSession: moderation.endSession,
  raiseHand: moderation.raiseHand,
  lowerHand: moderation.lowerHand,
  sendChat: chat.sendChat,
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
  openBook: storytime.openBook,
  closeBook: storytime.closeBook,
  turnPage: storytime.turnPage,
  setReader: storytime.setReader,
  setTurner: storytime.setTurner,
  pointAt: storytime.pointAt,
  lookHere: storytime.lookHere,
  startGame: games.startGame,
  gameMove: games.gameMove,
  rematch: games.rematch,
  endGame: games.endGame,
  startStroke: games.startStroke,
  extendStroke: games.extendStroke,
  undoStroke: games.undoStroke,
  clearBoard: games.clearBoard,
};

/** The requests handled by handlers/media.ts, whose TypeErrors are mediasoup refusing parameters (errors.ts). */
export const MEDIA_REQUESTS: ReadonlySet<string> = new Set(Object.keys(media));

export type { Admissions, BookCatalogue, HandlerContext, JoinGrant, SignalingDeps } from './context.ts';
