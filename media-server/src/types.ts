import type { types } from 'mediasoup';

// Plain data that crosses media-server's boundary. Callers never hold mediasoup objects.

export type TransportDirection = 'send' | 'recv';
export type MediaKind = types.MediaKind;

export interface TransportParams {
  transportId: string;
  iceParameters: types.IceParameters;
  iceCandidates: types.IceCandidate[];
  dtlsParameters: types.DtlsParameters;
}

export interface ProducerView {
  producerId: string;
  peerId: string;
  kind: MediaKind;
  source: string;
  paused: boolean;
}

export interface ConsumerParams {
  consumerId: string;
  producerId: string;
  /** The peer whose producer this consumer receives. */
  producerPeerId: string;
  kind: MediaKind;
  rtpParameters: types.RtpParameters;
}

export interface ConsumerClosedInfo {
  consumerId: string;
  producerId: string;
  kind: MediaKind;
}

/** How many live mediasoup objects are held; every value is zero when everyone has left. */
export interface MediaCounts {
  routers: number;
  transports: number;
  producers: number;
  consumers: number;
}

export function emptyCounts(): MediaCounts {
  return { routers: 0, transports: 0, producers: 0, consumers: 0 };
}

export function addCounts(a: MediaCounts, b: MediaCounts): MediaCounts {
  return {
    routers: a.routers + b.routers,
    transports: a.transports + b.transports,
    producers: a.producers + b.producers,
    consumers: a.consumers + b.consumers,
  };
}
