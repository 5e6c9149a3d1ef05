import type { Device, types as ms } from 'mediasoup-client';
import type { MediaSource, ProducerInfo, RtpCapabilities, TransportOptions } from '@tupa/signaling/protocol';
import type { SignalingConnection } from './signaling.ts';
import {
  fromWireRtpCapabilities,
  fromWireRtpParameters,
  toTransportOptions,
  toWireRtpCapabilities,
  toWireRtpParameters,
} from './wire.ts';

/** A consumer of someone else's producer, and whose media it carries. */
export interface ReceivedMedia {
  consumerId: string;
  producerId: string;
  peerId: string;
  source: MediaSource;
  track: MediaStreamTrack;
}

/**
 * The mediasoup-client side of one join: the loaded Device, one send and one receive transport,
 * this tab's producers (one per source) and its consumers. Closing it closes the transports,
 * which close every producer and consumer with them. A reconnect makes a new CallMedia.
 */
export class CallMedia {
  readonly #connection: SignalingConnection;
  readonly #device: Device;
  readonly #send: ms.Transport;
  readonly #recv: ms.Transport;
  readonly #producers = new Map<MediaSource, ms.Producer>();
  readonly #consumers = new Map<string, { consumer: ms.Consumer; received: ReceivedMedia }>();
  readonly #consumerIdByProducerId = new Map<string, string>();
  /** Producers whose consume request is in flight, so a notification cannot consume twice. */
  readonly #consuming = new Set<string>();
  readonly #onTrackEnded: (source: MediaSource) => void;
  #closed = false;

  /**
   * Loads `device` with the router's capabilities and creates both transports.
   * `onTransportFailed` hears when either transport's ICE/DTLS connection fails for good;
   * `onTrackEnded` when a sent track ends by itself (device unplugged, permission withdrawn).
   */
  static async open(options: {
    connection: SignalingConnection;
    device: Device;
    routerRtpCapabilities: RtpCapabilities;
    onTransportFailed: (direction: 'send' | 'recv') => void;
    onTrackEnded: (source: MediaSource) => void;
  }): Promise<CallMedia> {
    const { connection, device } = options;
    await device.load({ routerRtpCapabilities: fromWireRtpCapabilities(options.routerRtpCapabilities) });
    const [send, recv] = await Promise.all([
      connection.request('createTransport', { direction: 'send' }),
      connection.request('createTransport', { direction: 'recv' }),
    ]);
    return new CallMedia(connection, device, send, recv, options);
  }

  private constructor(
    connection: SignalingConnection,
    device: Device,
    send: TransportOptions,
    recv: TransportOptions,
    handlers: { onTransportFailed: (direction: 'send' | 'recv') => void; onTrackEnded: (source: MediaSource) => void },
  ) {
    this.#onTrackEnded = handlers.onTrackEnded;
    this.#connection = connection;
    this.#device = device;
    this.#send = device.createSendTransport(toTransportOptions(send));
    this.#recv = device.createRecvTransport(toTransportOptions(recv));

    for (const transport of [this.#send, this.#recv]) {
      transport.on('connect', ({ dtlsParameters }, callback, errback) => {
        connection.request('connectTransport', { transportId: transport.id, dtlsParameters }).then(callback, errback);
      });
      transport.on('connectionstatechange', (state) => {
        if (state === 'failed' && !this.#closed) handlers.onTransportFailed(transport.direction);
      });
    }
    this.#send.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
      connection
        .request('produce', {
          transportId: this.#send.id,
          kind,
          source: appData['source'] as MediaSource,
          rtpParameters: toWireRtpParameters(rtpParameters),
        })
        .then(({ producerId }) => callback({ id: producerId }), errback);
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Sends `track` as `source`, or pauses that source when `track` is null: creates the producer
   * the first time, swaps the track when it changed, and tells the server about pauses so the
   * others see "camera off" instead of a frozen picture.
   */
  async send(source: MediaSource, track: MediaStreamTrack | null): Promise<void> {
    if (this.#closed) return;
    const producer = this.#producers.get(source);
    if (track && !producer) {
      const created = await this.#send.produce({ track, stopTracks: false, appData: { source } });
      if (this.#closed) {
        created.close();
        return;
      }
      this.#producers.set(source, created);
      created.on('transportclose', () => this.#producers.delete(source));
      created.on('trackended', () => this.#onTrackEnded(source));
    } else if (track && producer) {
      if (producer.track !== track) await producer.replaceTrack({ track });
      if (producer.paused) {
        producer.resume();
        await this.#connection.request('setProducerPaused', { producerId: producer.id, paused: false });
      }
    } else if (!track && producer && !producer.paused) {
      producer.pause();
      await this.#connection.request('setProducerPaused', { producerId: producer.id, paused: true });
    }
  }

  /**
   * Creates a (server-side paused) consumer of someone's producer. Returns null when that
   * producer is already being received or this CallMedia closed meanwhile. The caller attaches
   * the track and then calls resume().
   */
  async receive(peerId: string, producer: ProducerInfo): Promise<ReceivedMedia | null> {
    const { producerId, source } = producer;
    if (this.#closed || this.#consumerIdByProducerId.has(producerId) || this.#consuming.has(producerId)) return null;
    this.#consuming.add(producerId);
    try {
      const data = await this.#connection.request('consume', {
        transportId: this.#recv.id,
        producerId,
        rtpCapabilities: toWireRtpCapabilities(this.#device.recvRtpCapabilities),
      });
      if (this.#closed) return null;
      const consumer = await this.#recv.consume({
        id: data.consumerId,
        producerId: data.producerId,
        kind: data.kind,
        rtpParameters: fromWireRtpParameters(data.rtpParameters),
        appData: { peerId, source },
      });
      const received: ReceivedMedia = { consumerId: consumer.id, producerId, peerId, source, track: consumer.track };
      this.#consumers.set(consumer.id, { consumer, received });
      this.#consumerIdByProducerId.set(producerId, consumer.id);
      consumer.on('transportclose', () => this.#forget(consumer.id));
      return received;
    } finally {
      this.#consuming.delete(producerId);
    }
  }

  /** Lets media flow on a consumer once its track is attached. */
  async resume(consumerId: string): Promise<void> {
    if (this.#consumers.has(consumerId)) await this.#connection.request('resumeConsumer', { consumerId });
  }

  /** Closes one consumer; returns what it carried so the caller can drop the track. */
  closeConsumer(consumerId: string): ReceivedMedia | undefined {
    const entry = this.#consumers.get(consumerId);
    if (!entry) return undefined;
    entry.consumer.close();
    this.#forget(consumerId);
    return entry.received;
  }

  /** Closes the consumer of `producerId`, if there is one. */
  closeConsumerOf(producerId: string): ReceivedMedia | undefined {
    const consumerId = this.#consumerIdByProducerId.get(producerId);
    return consumerId ? this.closeConsumer(consumerId) : undefined;
  }

  /** Closes every consumer of one peer's media. */
  closeConsumersOfPeer(peerId: string): void {
    for (const [consumerId, entry] of [...this.#consumers]) {
      if (entry.received.peerId === peerId) this.closeConsumer(consumerId);
    }
  }

  /** Closes both transports and with them every producer and consumer; idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#send.close();
    this.#recv.close();
    this.#producers.clear();
    this.#consumers.clear();
    this.#consumerIdByProducerId.clear();
    this.#consuming.clear();
  }

  #forget(consumerId: string): void {
    const entry = this.#consumers.get(consumerId);
    if (!entry) return;
    this.#consumers.delete(consumerId);
    this.#consumerIdByProducerId.delete(entry.received.producerId);
  }
}
