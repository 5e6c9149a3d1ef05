import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import type { BotSignaling } from '../support/weriftBot.ts';
import { freeUdpTcpPort } from '../support/ports.ts';
import { routerMediaCodecs } from '../../media-server/src/codecs.ts';

// The yardstick for sfu-cost: mediasoup used directly, the way its own demo does, with none of
// Tupa's code. Same worker binary, a WebRtcServer on 127.0.0.1, one router with the same codec
// list as Tupa's rooms, and WebRTC transports with the same options Tupa passes. Bots talk to it
// through plain function calls instead of Socket.IO (signaling is not what is measured).

// The codec list itself is shared (data, not behaviour), so the two setups can never drift apart.
const CODECS = routerMediaCodecs;

export interface RawSfu {
  worker: types.Worker;
  router: types.Router;
  /** A signaling endpoint for one bot (its own transports). */
  signalingFor(): BotSignaling;
  consumers(): types.Consumer[];
  close(): void;
}

export async function startRawSfu(): Promise<RawSfu> {
  const worker = await mediasoup.createWorker({ logLevel: 'warn' });
  const port = await freeUdpTcpPort();
  const webRtcServer = await worker.createWebRtcServer({
    listenInfos: [
      { protocol: 'udp', ip: '127.0.0.1', announcedIp: '127.0.0.1', port },
      { protocol: 'tcp', ip: '127.0.0.1', announcedIp: '127.0.0.1', port },
    ],
  });
  const router = await worker.createRouter({ mediaCodecs: CODECS });
  const transports = new Map<string, types.WebRtcTransport>();
  const consumers = new Map<string, types.Consumer>();

  const signalingFor = (): BotSignaling => ({
    async createTransport() {
      const transport = await router.createWebRtcTransport({
        webRtcServer,
        enableUdp: true,
        enableTcp: true,
        preferUdp: true,
        initialAvailableOutgoingBitrate: 1_000_000,
      });
      transports.set(transport.id, transport);
      transport.observer.on('close', () => transports.delete(transport.id));
      return {
        id: transport.id,
        iceParameters: transport.iceParameters,
        iceCandidates: transport.iceCandidates as never,
        dtlsParameters: transport.dtlsParameters as never,
      };
    },
    async connectTransport(transportId, dtlsParameters) {
      await mustGet(transports, transportId).connect({ dtlsParameters: dtlsParameters as types.DtlsParameters });
    },
    async produce(transportId, kind, rtpParameters) {
      const producer = await mustGet(transports, transportId).produce({ kind, rtpParameters: rtpParameters as types.RtpParameters });
      return producer.id;
    },
    async consume(transportId, producerId, rtpCapabilities) {
      const consumer = await mustGet(transports, transportId).consume({
        producerId,
        rtpCapabilities: rtpCapabilities as types.RtpCapabilities,
        paused: true,
      });
      consumers.set(consumer.id, consumer);
      consumer.observer.on('close', () => consumers.delete(consumer.id));
      return { id: consumer.id, producerId, kind: consumer.kind, rtpParameters: consumer.rtpParameters as never };
    },
    async resumeConsumer(consumerId) {
      await mustGet(consumers, consumerId).resume();
    },
  });

  return {
    worker,
    router,
    signalingFor,
    consumers: () => [...consumers.values()],
    close: () => worker.close(),
  };
}

function mustGet<T>(map: Map<string, T>, id: string): T {
  const value = map.get(id);
  if (value === undefined) throw new Error(`no such object ${id}`);
  return value;
}
