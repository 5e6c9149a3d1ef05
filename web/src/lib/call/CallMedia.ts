import type { Device, types as ms } from 'mediasoup-client';
import type { IceServer, MediaSource, ProducerInfo, TransportOptions } from '@tupa/signaling/protocol';
import { IceRecovery, type TransportState } from './iceRecovery.ts';
import { CAMERA_CODEC_OPTIONS, MICROPHONE_CODEC_OPTIONS, cameraEncodings, shortSideOf } from './sendOptions.ts';
import type { SignalingClient } from './signalingClient.ts';
import {
  fromWireRtpParameters,
  toIceServers,
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

export interface CallMediaHandlers {
  /** A transport's connection changed (see `interrupted`). */
  onConnectionChange: () => void;
  /** A sent track ended by itself (device unplugged, permission withdrawn). */
  onTrackEnded: (source: MediaSource) => void;
}

/**
 * The mediasoup-client side of one router: one send and one receive transport on a loaded
 * Device, this tab's producers (one per source) and its consumers. It lives across a dropped
 * signaling connection (the server keeps the matching objects for a grace period); it is replaced
 * when the server's media had to start afresh (`mediaReset`, or a resume without kept media).
 * Closing it closes the transports, which close every producer and consumer with them.
 */
export class CallMedia {
  readonly #connection: SignalingClient;
  readonly #device: Device;
  readonly #send: ms.Transport;
  readonly #recv: ms.Transport;
  readonly #recovery: Record<'send' | 'recv', IceRecovery>;
  readonly #everConnected = { send: false, recv: false };
  readonly #producers = new Map<MediaSource, ms.Producer>();
  /** What the server last confirmed about each producer's pause, so a lost request is redone. */
  readonly #serverPaused = new Map<MediaSource, boolean>();
  readonly #consumers = new Map<string, { consumer: ms.Consumer; received: ReceivedMedia }>();
  readonly #consumerIdByProducerId = new Map<string, string>();
  /** Producers whose consume request is in flight, so a notification cannot consume twice. */
  readonly #consuming = new Set<string>();
  readonly #handlers: CallMediaHandlers;
  #closed = false;

  /** Creates both transports on the server and on `device` (which must be loaded). */
  static async open(options: {
    connection: SignalingClient;
    device: Device;
    iceServers: IceServer[];
    handlers: CallMediaHandlers;
  }): Promise<CallMedia> {
    const { connection } = options;
    const [send, recv] = await Promise.all([
      connection.request('createTransport', { direction: 'send' }),
      connection.request('createTransport', { direction: 'recv' }),
    ]);
    return new CallMedia(connection, options.device, send, recv, options.iceServers, options.handlers);
  }

  private constructor(
    connection: SignalingClient,
    device: Device,
    send: TransportOptions,
    recv: TransportOptions,
    iceServers: IceServer[],
    handlers: CallMediaHandlers,
  ) {
    this.#handlers = handlers;
    this.#connection = connection;
    this.#device = device;
    const servers = toIceServers(iceServers);
    this.#send = device.createSendTransport({ ...toTransportOptions(send), iceServers: servers });
    this.#recv = device.createRecvTransport({ ...toTransportOptions(recv), iceServers: servers });
    this.#recovery = {
      send: new IceRecovery({ restart: () => this.#restartIce(this.#send) }),
      recv: new IceRecovery({ restart: () => this.#restartIce(this.#recv) }),
    };

    for (const transport of [this.#send, this.#recv]) {
      const direction = transport.direction;
      transport.on('connect', ({ dtlsParameters }, callback, errback) => {
        connection.request('connectTransport', { transportId: transport.id, dtlsParameters }).then(callback, errback);
      });
      transport.on('connectionstatechange', (state) => {
        if (this.#closed) return;
        if (state === 'connected') this.#everConnected[direction] = true;
        this.#recovery[direction].update(state as TransportState);
        handlers.onConnectionChange();
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

  /** True while a transport that had worked has lost its connection. */
  get interrupted(): boolean {
    if (this.#closed) return false;
    return (['send', 'recv'] as const).some((d) => this.#everConnected[d] && this.#recovery[d].broken);
  }

  /** Whether a camera picture is being sent right now. */
  get sendingVideo(): boolean {
    const camera = this.#producers.get('camera');
    return camera !== undefined && !camera.paused;
  }

  /** How many ICE restarts were asked for on both transports. */
  get iceRestarts(): number {
    return this.#recovery.send.restarts + this.#recovery.recv.restarts;
  }

  /**
   * Sends `track` as `source`, or pauses that source when `track` is null: creates the producer
   * the first time (the camera as simulcast), swaps the track when it changed, and tells the
   * server about pauses so the others see "camera off" instead of a frozen picture.
   */
  async send(source: MediaSource, track: MediaStreamTrack | null): Promise<void> {
    if (this.#closed) return;
    const producer = this.#producers.get(source);
    if (track && !producer) {
      await this.#produce(source, track);
      return;
    }
    if (!producer) return;
    if (track && producer.track !== track) await producer.replaceTrack({ track });
    const paused = track === null;
    if (paused && !producer.paused) producer.pause();
    if (!paused && producer.paused) producer.resume();
    if (this.#serverPaused.get(source) !== paused) {
      await this.#connection.request('setProducerPaused', { producerId: producer.id, paused });
      if (this.#producers.get(source) === producer) this.#serverPaused.set(source, paused);
    }
  }

  /**
   * The server closed this tab's producer for `source` (a host stopped the camera): forget it
   * here too, so that turning the source on again creates a new one.
   */
  forgetProducer(source: MediaSource): void {
    const producer = this.#producers.get(source);
    if (!producer) return;
    this.#producers.delete(source);
    this.#serverPaused.delete(source);
    producer.close();
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

  /** The consumer carrying `peerId`'s `source`, if this tab receives it. */
  consumerIdOf(peerId: string, source: MediaSource): string | undefined {
    for (const { received } of this.#consumers.values()) {
      if (received.peerId === peerId && received.source === source) return received.consumerId;
    }
    return undefined;
  }

  /** Whether this tab holds a consumer of `producerId`. */
  receives(producerId: string): boolean {
    return this.#consumerIdByProducerId.has(producerId);
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

  /** Signaling is back: restart ICE at once on a transport that is still broken. */
  retryIce(): void {
    this.#recovery.send.retryNow();
    this.#recovery.recv.retryNow();
  }

  /** Both transports' statistics (null for one that never connected), for the link monitor. */
  async stats(): Promise<{ send: RTCStatsReport | null; recv: RTCStatsReport | null }> {
    const read = async (transport: ms.Transport, direction: 'send' | 'recv') => {
      if (this.#closed || !this.#everConnected[direction]) return null;
      try {
        return await transport.getStats();
      } catch {
        return null; // closed meanwhile
      }
    };
    const [send, recv] = await Promise.all([read(this.#send, 'send'), read(this.#recv, 'recv')]);
    return { send, recv };
  }

  /** Closes both transports and with them every producer and consumer; idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#recovery.send.close();
    this.#recovery.recv.close();
    this.#send.close();
    this.#recv.close();
    this.#producers.clear();
    this.#serverPaused.clear();
    this.#consumers.clear();
    this.#consumerIdByProducerId.clear();
    this.#consuming.clear();
  }

  async #produce(source: MediaSource, track: MediaStreamTrack): Promise<void> {
    const options: ms.ProducerOptions =
      source === 'camera'
        ? { track, encodings: cameraEncodings(shortSideOf(track)), codecOptions: CAMERA_CODEC_OPTIONS }
        : { track, codecOptions: MICROPHONE_CODEC_OPTIONS };
    const created = await this.#send.produce({ ...options, stopTracks: false, appData: { source } });
    if (this.#closed) {
      created.close();
      return;
    }
    this.#producers.set(source, created);
    this.#serverPaused.set(source, false);
    created.on('transportclose', () => {
      if (this.#producers.get(source) === created) this.#producers.delete(source);
    });
    created.on('trackended', () => this.#handlers.onTrackEnded(source));
  }

  async #restartIce(transport: ms.Transport): Promise<void> {
    if (this.#closed || transport.closed) return;
    const { iceParameters } = await this.#connection.request('restartIce', { transportId: transport.id });
    if (this.#closed || transport.closed) return;
    await transport.restartIce({ iceParameters });
  }

  #forget(consumerId: string): void {
    const entry = this.#consumers.get(consumerId);
    if (!entry) return;
    this.#consumers.delete(consumerId);
    this.#consumerIdByProducerId.delete(entry.received.producerId);
  }
}
