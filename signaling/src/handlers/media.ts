import type { DtlsParameters, RtpCapabilities, RtpParameters as MediaRtpParameters } from '@tupa/media-server';
import type { RtpParameters } from '../protocol/index.ts';
import { joined, type Handler } from './context.ts';

// The schemas have already validated shape and size; mediasoup validates semantics again and
// throws TypeError for what it rejects, which becomes a `validation` reply. The casts go from the
// protocol's looser zod shapes to media-server's own names for the same descriptions.

export const createTransport: Handler<'createTransport'> = async (ctx, { direction }) => {
  const { peer } = joined(ctx);
  const params = await peer.media.createWebRtcTransport(direction);
  return {
    transportId: params.transportId,
    iceParameters: params.iceParameters,
    iceCandidates: params.iceCandidates,
    dtlsParameters: params.dtlsParameters,
  };
};

export const connectTransport: Handler<'connectTransport'> = async (ctx, { transportId, dtlsParameters }) => {
  const { peer } = joined(ctx);
  await peer.media.connectTransport(transportId, dtlsParameters as DtlsParameters);
  return {};
};

export const restartIce: Handler<'restartIce'> = async (ctx, { transportId }) => {
  const { peer } = joined(ctx);
  return { iceParameters: await peer.media.restartIce(transportId) };
};

export const produce: Handler<'produce'> = async (ctx, request) => {
  const { room, peer } = joined(ctx);
  const producer = await room.produce(peer, {
    transportId: request.transportId,
    kind: request.kind,
    source: request.source,
    rtpParameters: request.rtpParameters as MediaRtpParameters,
    ...(request.paused !== undefined ? { paused: request.paused } : {}),
  });
  return { producerId: producer.producerId };
};

export const closeProducer: Handler<'closeProducer'> = async (ctx, { producerId }) => {
  const { room, peer } = joined(ctx);
  room.closeProducer(peer, producerId);
  return {};
};

export const setProducerPaused: Handler<'setProducerPaused'> = async (ctx, { producerId, paused }) => {
  const { room, peer } = joined(ctx);
  await room.setProducerPaused(peer, producerId, paused);
  return {};
};

export const consume: Handler<'consume'> = async (ctx, request) => {
  const { peer } = joined(ctx);
  const consumer = await peer.media.consume({
    transportId: request.transportId,
    producerId: request.producerId,
    rtpCapabilities: request.rtpCapabilities as RtpCapabilities,
  });
  return {
    consumerId: consumer.consumerId,
    producerId: consumer.producerId,
    peerId: consumer.producerPeerId,
    kind: consumer.kind,
    rtpParameters: consumer.rtpParameters as RtpParameters,
  };
};

export const resumeConsumer: Handler<'resumeConsumer'> = async (ctx, { consumerId }) => {
  const { peer } = joined(ctx);
  await peer.media.resumeConsumer(consumerId);
  return {};
};

export const setConsumerPreferences: Handler<'setConsumerPreferences'> = async (ctx, { consumerId, visible, height }) => {
  const { peer } = joined(ctx);
  await peer.media.setConsumerPreferences(consumerId, visible, height);
  return {};
};

export const setReceiveVideo: Handler<'setReceiveVideo'> = async (ctx, { enabled }) => {
  const { peer } = joined(ctx);
  await peer.media.setReceiveVideo(enabled);
  return {};
};
