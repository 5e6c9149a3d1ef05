import type { WorkerLogLevel } from './types.ts';

/** How the media server listens and how many workers it runs; validated by the caller. */
export interface MediaServerOptions {
  /** Number of mediasoup workers, usually one per core. */
  numWorkers: number;
  /** Address the WebRtcServers bind to, e.g. 0.0.0.0 or 127.0.0.1. */
  listenIp: string;
  /** Address written into ICE candidates: what browsers can reach. */
  announcedIp: string | undefined;
  /** Worker i listens on rtcPort + i, UDP and TCP. */
  rtcPort: number;
  logLevel?: WorkerLogLevel;
  /** Bitrate a new transport starts estimating from. */
  initialOutgoingBitrate?: number;
}

/** Per-peer caps that keep one misbehaving client from exhausting a worker. */
export const PEER_LIMITS = {
  transports: 4,
  producers: 8,
  consumers: 300,
} as const;
