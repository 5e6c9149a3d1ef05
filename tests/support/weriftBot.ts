import {
  Device,
  MediaStreamTrack,
  RTCRtpCodecParameters,
  useAbsSendTime,
  useFIR,
  useNACK,
  usePLI,
  useREMB,
  useSdesMid,
  type types as msc,
} from 'msc-node';
import type { TestClient } from './signalingClient.ts';

// A participant without a browser: mediasoup-client's API over werift (pure TypeScript WebRTC),
// with real ICE, DTLS and SRTP. What it sends is whatever RTP the caller writes into its track
// (real VP8 from ffmpeg, or Opus-sized packets). The signaling is pluggable, so the same bot
// joins Tupa over Socket.IO or a bare mediasoup router in the same process.

export type MediaKind = 'audio' | 'video';

/** The server side a bot needs; one implementation per server under test. */
export interface BotSignaling {
  createTransport(direction: 'send' | 'recv'): Promise<{
    id: string;
    iceParameters: msc.IceParameters;
    iceCandidates: msc.IceCandidate[];
    dtlsParameters: msc.DtlsParameters;
  }>;
  connectTransport(transportId: string, dtlsParameters: msc.DtlsParameters): Promise<void>;
  produce(transportId: string, kind: MediaKind, rtpParameters: msc.RtpParameters): Promise<string>;
  consume(
    transportId: string,
    producerId: string,
    rtpCapabilities: msc.RtpCapabilities,
  ): Promise<{ id: string; producerId: string; kind: MediaKind; rtpParameters: msc.RtpParameters }>;
  resumeConsumer(consumerId: string): Promise<void>;
}

/** What werift says it can send and receive: VP8 and Opus, as a browser would offer them. */
function weriftCapabilities() {
  return {
    codecs: {
      video: [
        new RTCRtpCodecParameters({
          mimeType: 'video/VP8',
          clockRate: 90000,
          rtcpFeedback: [useFIR(), useNACK(), usePLI(), useREMB()],
        }),
      ],
      audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2 })],
    },
    headerExtensions: {
      video: [useSdesMid(), useAbsSendTime()],
      audio: [useSdesMid(), useAbsSendTime()],
    },
  };
}

/** ICE on loopback only: the one host address is 127.0.0.1, so no packet leaves the machine. */
const LOOPBACK_ONLY = {
  iceUseIpv4: true,
  iceUseIpv6: false,
  iceInterfaceAddresses: { udp4: '127.0.0.1' },
  iceAdditionalHostAddresses: ['127.0.0.1'],
  iceFilterCandidatePair: (pair: { localCandidate: { host: string } }) => pair.localCandidate.host === '127.0.0.1',
};

export interface SentTrack {
  producerId: string;
  /** Write one RTP packet (whole, as it came from an encoder); SSRC and payload type are rewritten. */
  writeRtp(packet: Buffer): void;
}

export interface ReceivedTrack {
  consumerId: string;
  producerId: string;
  /** RTP packets that arrived at this bot for this track. */
  readonly packets: number;
  /** Resolves when the first packet arrives, or rejects after timeoutMs. */
  firstPacket(timeoutMs: number): Promise<void>;
}

/** One participant made of a werift device, a send transport and a receive transport. */
export class WeriftBot {
  readonly #device: Device;
  readonly #signaling: BotSignaling;
  #send: msc.Transport | undefined;
  #recv: msc.Transport | undefined;
  readonly #tracks: MediaStreamTrack[] = [];

  private constructor(device: Device, signaling: BotSignaling) {
    this.#device = device;
    this.#signaling = signaling;
  }

  /** A bot loaded with the router's capabilities. */
  static async create(signaling: BotSignaling, routerRtpCapabilities: msc.RtpCapabilities): Promise<WeriftBot> {
    const device = new Device(weriftCapabilities(), { handlerName: 'werift' });
    await device.load({ routerRtpCapabilities });
    return new WeriftBot(device, signaling);
  }

  get rtpCapabilities(): msc.RtpCapabilities {
    return this.#device.rtpCapabilities;
  }

  /** Creates both transports on the server (ICE and DTLS start with the first produce/consume). */
  async openTransports(): Promise<void> {
    await Promise.all([this.#sendTransport(), this.#recvTransport()]);
  }

  /** Produces a track of this kind; the caller feeds it with writeRtp. */
  async send(kind: MediaKind): Promise<SentTrack> {
    const transport = await this.#sendTransport();
    const track = new MediaStreamTrack({ kind });
    this.#tracks.push(track);
    const producer = await transport.produce({ track: track as never });
    return {
      producerId: producer.id,
      writeRtp: (packet) => track.writeRtp(packet),
    };
  }

  /** Consumes someone's producer, resumes it, and counts what arrives. */
  async receive(producerId: string): Promise<ReceivedTrack> {
    const transport = await this.#recvTransport();
    const params = await this.#signaling.consume(transport.id, producerId, this.#device.rtpCapabilities);
    const consumer = await transport.consume({
      id: params.id,
      producerId: params.producerId,
      kind: params.kind,
      rtpParameters: params.rtpParameters,
    });
    const track = consumer.track as unknown as MediaStreamTrack;
    let packets = 0;
    let arrived: (() => void) | undefined;
    const first = new Promise<void>((resolve) => (arrived = resolve));
    track.onReceiveRtp.subscribe(() => {
      packets++;
      if (packets === 1) arrived?.();
    });
    await this.#signaling.resumeConsumer(params.id);
    return {
      consumerId: params.id,
      producerId,
      get packets() {
        return packets;
      },
      firstPacket: (timeoutMs) =>
        Promise.race([
          first,
          new Promise<void>((_, reject) =>
            setTimeout(() => reject(new Error(`no packet for consumer ${params.id} in ${timeoutMs} ms`)), timeoutMs).unref(),
          ),
        ]),
    };
  }

  /** Closes both transports (and so every producer and consumer of this bot). */
  close(): void {
    for (const track of this.#tracks) track.stop();
    this.#send?.close();
    this.#recv?.close();
  }

  async #sendTransport(): Promise<msc.Transport> {
    if (this.#send) return this.#send;
    const params = await this.#signaling.createTransport('send');
    if (this.#send) return this.#send;
    const transport = this.#device.createSendTransport({ ...params, additionalSettings: LOOPBACK_ONLY });
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      this.#signaling.connectTransport(transport.id, dtlsParameters).then(callback, errback);
    });
    transport.on('produce', ({ kind, rtpParameters }, callback, errback) => {
      this.#signaling.produce(transport.id, kind, rtpParameters).then((id) => callback({ id }), errback);
    });
    this.#send = transport;
    return transport;
  }

  async #recvTransport(): Promise<msc.Transport> {
    if (this.#recv) return this.#recv;
    const params = await this.#signaling.createTransport('recv');
    if (this.#recv) return this.#recv;
    const transport = this.#device.createRecvTransport({ ...params, additionalSettings: LOOPBACK_ONLY });
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      this.#signaling.connectTransport(transport.id, dtlsParameters).then(callback, errback);
    });
    this.#recv = transport;
    return transport;
  }
}

/** A bot's signaling through Tupa's own protocol, on a socket that has joined a room. */
export function tupaBotSignaling(client: TestClient): BotSignaling {
  return {
    async createTransport(direction) {
      const t = await client.ok('createTransport', { direction });
      return {
        id: t.transportId,
        iceParameters: t.iceParameters as msc.IceParameters,
        iceCandidates: t.iceCandidates as msc.IceCandidate[],
        dtlsParameters: t.dtlsParameters as msc.DtlsParameters,
      };
    },
    async connectTransport(transportId, dtlsParameters) {
      await client.ok('connectTransport', { transportId, dtlsParameters: dtlsParameters as never });
    },
    async produce(transportId, kind, rtpParameters) {
      const source = kind === 'audio' ? 'microphone' : 'camera';
      const p = await client.ok('produce', { transportId, kind, source, rtpParameters: rtpParameters as never });
      return p.producerId;
    },
    async consume(transportId, producerId, rtpCapabilities) {
      const c = await client.ok('consume', { transportId, producerId, rtpCapabilities: rtpCapabilities as never });
      return { id: c.consumerId, producerId: c.producerId, kind: c.kind, rtpParameters: c.rtpParameters as msc.RtpParameters };
    },
    async resumeConsumer(consumerId) {
      await client.ok('resumeConsumer', { consumerId });
    },
  };
}
