import type { RtpParameters } from '@tupa/signaling/protocol';

// RTP parameters shaped like the ones mediasoup-client sends from Chromium, for tests that
// produce without a browser. mediasoup accepts a producer before any packet arrives.

export function opusParameters(ssrc = 1111): RtpParameters {
  return {
    mid: '0',
    codecs: [
      {
        mimeType: 'audio/opus',
        payloadType: 111,
        clockRate: 48000,
        channels: 2,
        parameters: { minptime: 10, useinbandfec: 1 },
        rtcpFeedback: [{ type: 'transport-cc' }],
      },
    ],
    headerExtensions: [
      { uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 4 },
      { uri: 'urn:ietf:params:rtp-hdrext:ssrc-audio-level', id: 10 },
    ],
    encodings: [{ ssrc, dtx: false }],
    rtcp: { cname: 'test-cname', reducedSize: true },
  };
}

export function vp8Parameters(ssrc = 2222): RtpParameters {
  return {
    mid: '1',
    codecs: [
      {
        mimeType: 'video/VP8',
        payloadType: 96,
        clockRate: 90000,
        rtcpFeedback: [
          { type: 'goog-remb' },
          { type: 'transport-cc' },
          { type: 'ccm', parameter: 'fir' },
          { type: 'nack' },
          { type: 'nack', parameter: 'pli' },
        ],
      },
      { mimeType: 'video/rtx', payloadType: 97, clockRate: 90000, parameters: { apt: 96 } },
    ],
    headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 4 }],
    encodings: [{ ssrc, rtx: { ssrc: ssrc + 1 } }],
    rtcp: { cname: 'test-cname', reducedSize: true },
  };
}

/** A three-layer VP8 simulcast camera, as Chromium sends it (one SSRC per layer). */
export function vp8SimulcastParameters(firstSsrc = 5000): RtpParameters {
  const base = vp8Parameters(firstSsrc);
  return {
    ...base,
    encodings: [0, 1, 2].map((layer) => ({
      ssrc: firstSsrc + layer * 10,
      rtx: { ssrc: firstSsrc + layer * 10 + 1 },
      scalabilityMode: 'L1T3',
      scaleResolutionDownBy: 2 ** (2 - layer),
    })),
  };
}
