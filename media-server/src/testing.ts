import type { Logger } from './logger.ts';

// Helpers for this package's own tests (not exported from the package).

export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
};

export const opus = {
  mid: '0',
  codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2, parameters: { useinbandfec: 1 } }],
  encodings: [{ ssrc: 1111 }],
  rtcp: { cname: 'c' },
};

export const vp8 = {
  mid: '1',
  codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, rtcpFeedback: [{ type: 'nack' }] }],
  encodings: [{ ssrc: 2222 }],
  rtcp: { cname: 'c' },
};

/** A well-formed client DTLS description; no DTLS handshake ever runs in these tests. */
export const clientDtls = {
  role: 'client' as const,
  fingerprints: [{ algorithm: 'sha-256' as const, value: Array.from({ length: 32 }, () => 'AB').join(':') }],
};
