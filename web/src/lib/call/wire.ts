import type { types as ms } from 'mediasoup-client';
import type { IceServer, ReplyData, RtpCapabilities, RtpParameters, TransportOptions } from '@tupa/signaling/protocol';

// Conversions between mediasoup-client's types and the protocol's zod-derived types. They
// describe the same objects, but mediasoup-client types codec parameters as `unknown` and
// header-extension URIs as a closed union. The server parses everything it receives with its
// schemas, so these are type-level adaptations only.

/** Transport options from a `createTransport` reply, shaped for `device.create*Transport`. */
export function toTransportOptions(reply: TransportOptions): ms.TransportOptions {
  return {
    id: reply.transportId,
    iceParameters: reply.iceParameters,
    iceCandidates: reply.iceCandidates.map((candidate) => ({
      ...candidate,
      address: candidate.address ?? candidate.ip,
    })),
    // The server describes its own fingerprints with a plain string algorithm name.
    dtlsParameters: reply.dtlsParameters as ms.DtlsParameters,
  };
}

/** RTP parameters mediasoup-client produced, as the `produce` request carries them. */
export function toWireRtpParameters(parameters: ms.RtpParameters): RtpParameters {
  return parameters as RtpParameters;
}

/** The device's receive capabilities, as the `consume` request carries them. */
export function toWireRtpCapabilities(capabilities: ms.RtpCapabilities): RtpCapabilities {
  return capabilities as RtpCapabilities;
}

/** A router's capabilities from the `joinRoom` reply, for `device.load`. */
export function fromWireRtpCapabilities(capabilities: RtpCapabilities): ms.RtpCapabilities {
  return capabilities as ms.RtpCapabilities;
}

/** A consumer's RTP parameters from the `consume` reply, for `transport.consume`. */
export function fromWireRtpParameters(parameters: ReplyData<'consume'>['rtpParameters']): ms.RtpParameters {
  return parameters as ms.RtpParameters;
}

/** STUN/TURN servers from the `joinRoom` reply, for the transports' RTCPeerConnections. */
export function toIceServers(servers: IceServer[]): RTCIceServer[] {
  return servers.map(({ urls, username, credential }) => ({
    urls,
    ...(username !== undefined ? { username } : {}),
    ...(credential !== undefined ? { credential } : {}),
  }));
}
