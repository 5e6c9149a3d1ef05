import type { types } from 'mediasoup';

// Plain data that crosses media-server's boundary. Callers never hold mediasoup objects, and
// never import mediasoup: the descriptions below are the ones its callers pass in and get back,
// named here so that signaling depends on media-server alone.

export type TransportDirection = 'send' | 'recv';
export type MediaKind = types.MediaKind;
/** A transport's DTLS role and certificate fingerprints (RFC 8842), as the browser sends them. */
export type DtlsParameters = types.DtlsParameters;
/** A transport's ICE username fragment and password (RFC 8445). */
export type IceParameters = types.IceParameters;
/** One address a transport can be reached on (RFC 8445). */
export type IceCandidate = types.IceCandidate;
/** The codecs, encodings and header extensions of one sent or received stream (ORTC). */
export type RtpParameters = types.RtpParameters;
/** What a receiving browser can decode, from mediasoup-client's `Device.rtpCapabilities`. */
export type RtpCapabilities = types.RtpCapabilities;
/** How much a worker logs. */
export type WorkerLogLevel = types.WorkerLogLevel;

export interface TransportParams {
  transportId: string;
  iceParameters: IceParameters;
  iceCandidates: IceCandidate[];
  dtlsParameters: DtlsParameters;
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
  rtpParameters: RtpParameters;
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

/**
 * One running mediasoup worker as plain numbers, for metrics and health checks. Times and sizes
 * are the worker process's own `getrusage(2)` totals since it started, so they restart from zero
 * when a dead worker is replaced.
 */
export interface WorkerStats {
  /** The worker's slot; its WebRtcServer listens on `rtcPort + index`. */
  index: number;
  /** Operating-system process id of the worker. */
  pid: number;
  /** CPU time spent in user mode, in milliseconds. */
  cpuUserMs: number;
  /** CPU time spent in the kernel on the worker's behalf, in milliseconds. */
  cpuSystemMs: number;
  /** Largest resident set size the worker has had, in kibibytes. */
  maxRssKb: number;
  /** Routers (live rooms) placed on this worker. */
  routers: number;
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
