import type { types } from 'mediasoup';
import { answerOf, closeIfGone, throwIfGone, type GoneCheck } from './closedMeanwhile.ts';
import { MediaInvalidStateError, MediaNotFoundError } from './errors.ts';
import type { Logger } from './logger.ts';
import { PEER_LIMITS } from './options.ts';
import { SafeEmitter } from './SafeEmitter.ts';
import type {
  ConsumerClosedInfo,
  ConsumerParams,
  DtlsParameters,
  IceParameters,
  MediaCounts,
  MediaKind,
  ProducerView,
  RtpCapabilities,
  RtpParameters,
  TransportDirection,
  TransportParams,
} from './types.ts';

/** What a PeerMedia needs from its room: the router, the port, and the room's producer index. */
export interface PeerMediaContext {
  readonly router: types.Router;
  readonly webRtcServer: types.WebRtcServer;
  readonly initialOutgoingBitrate: number;
  registerProducer(producer: types.Producer, peerId: string): void;
  findProducer(producerId: string): { producer: types.Producer; peerId: string } | undefined;
}

type PeerMediaEvents = {
  /** A consumer closed because the producer it received went away. */
  consumerclosed: [info: ConsumerClosedInfo];
  /** How well one of this peer's producers reaches the server, 0 to 10. */
  producerscore: [producerId: string, score: number];
  close: [];
};

interface TransportAppData extends types.AppData {
  direction: TransportDirection;
  /**
   * connect has been asked of the worker. The worker accepts it once per transport, and
   * dtlsState stays 'new' until ICE completes, so this is what refuses a second connect.
   */
  connectRequested: boolean;
}
interface ProducerAppData extends types.AppData {
  peerId: string;
  source: string;
}
interface ConsumerAppData extends types.AppData {
  producerPeerId: string;
  /** The client has attached the track and asked for packets. */
  clientReady: boolean;
  /** The client's tile for it is not on screen. */
  hidden: boolean;
  /**
   * The pause state last asked of the worker. Requests reach the worker in order, so it ends in
   * this state; `consumer.paused` only changes when an answer arrives, too late to decide on.
   */
  pauseRequested: boolean;
}

/**
 * The simulcast layer for a tile of this many device pixels high. Layers are sent at 1/4, 1/2
 * and full resolution of (usually) 720p, so each fits tiles up to about its own height.
 */
export function spatialLayerForHeight(height: number): number {
  if (height <= 200) return 0;
  if (height <= 400) return 1;
  return 2;
}

/**
 * The transports, producers and consumers of one participant. Each object is removed from its
 * map by its own close event, so every path that closes it (peer leaves, transport closes,
 * producer goes away, worker dies) leaves the maps consistent.
 *
 * Requests may repeat, cross, or arrive after (or while) their object closes. Each method
 * checks its object before asking the worker and again after the answer: an object created
 * for a peer or transport that closed meanwhile is closed at once, and a worker failure for an
 * object that closed meanwhile becomes MediaNotFoundError / MediaInvalidStateError. A worker
 * failure on an object that is still open is left as it is: that is a bug.
 */
export class PeerMedia extends SafeEmitter<PeerMediaEvents> {
  readonly peerId: string;
  readonly #context: PeerMediaContext;
  readonly #transports = new Map<string, types.WebRtcTransport<TransportAppData>>();
  readonly #producers = new Map<string, types.Producer<ProducerAppData>>();
  readonly #consumers = new Map<string, types.Consumer<ConsumerAppData>>();
  /** Creations asked of the worker and not yet answered, counted against PEER_LIMITS. */
  #pendingTransports = 0;
  #pendingConsumers = 0;
  /** Sources whose producer is being created: a second one for the same source is refused. */
  readonly #pendingSources = new Set<string>();
  /** The last pause or resume asked for each consumer, so a request that changes nothing waits for it. */
  readonly #pauseRequests = new WeakMap<types.Consumer, Promise<void>>();
  #receiveVideo = true;
  #closed = false;

  constructor(peerId: string, context: PeerMediaContext, logger: Logger) {
    super(logger.child({ peerId }));
    this.peerId = peerId;
    this.#context = context;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Creates a WebRTC transport on the worker's shared port, UDP preferred, TCP offered too. */
  async createWebRtcTransport(direction: TransportDirection): Promise<TransportParams> {
    this.#assertOpen();
    if (this.#transports.size + this.#pendingTransports >= PEER_LIMITS.transports) {
      throw new MediaInvalidStateError('too many transports');
    }
    this.#pendingTransports++;
    let transport: types.WebRtcTransport<TransportAppData>;
    try {
      transport = await answerOf(
        this.#context.router.createWebRtcTransport<TransportAppData>({
          webRtcServer: this.#context.webRtcServer,
          enableUdp: true,
          enableTcp: true,
          preferUdp: true,
          initialAvailableOutgoingBitrate: this.#context.initialOutgoingBitrate,
          appData: { direction, connectRequested: false },
        }),
        () => this.#peerGone(),
      );
    } finally {
      this.#pendingTransports--;
    }
    closeIfGone(transport, this.#peerGone());
    this.#transports.set(transport.id, transport);
    transport.observer.on('close', () => this.#transports.delete(transport.id));
    transport.on('dtlsstatechange', (state) => {
      if (state === 'failed' || state === 'closed') {
        this.logger.warn({ transportId: transport.id, state }, 'transport DTLS ended');
      }
    });
    return {
      transportId: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
    };
  }

  /** Gives the transport the client's DTLS parameters; once per transport. */
  async connectTransport(transportId: string, dtlsParameters: DtlsParameters): Promise<void> {
    const transport = this.#transport(transportId);
    if (transport.appData.connectRequested || transport.dtlsState !== 'new') {
      throw new MediaInvalidStateError('transport already connected');
    }
    // Marked before the worker answers, so a second request in flight is refused here.
    transport.appData.connectRequested = true;
    try {
      await answerOf(transport.connect({ dtlsParameters }), () => this.#transportGone(transport));
    } catch (error) {
      // The worker refused the parameters without taking them: the client may try again.
      transport.appData.connectRequested = false;
      throw error;
    }
    throwIfGone(this.#transportGone(transport));
  }

  /** New ICE credentials, for a client whose ICE connection stayed broken. */
  async restartIce(transportId: string): Promise<IceParameters> {
    const transport = this.#transport(transportId);
    const iceParameters = await answerOf(transport.restartIce(), () => this.#transportGone(transport));
    throwIfGone(this.#transportGone(transport));
    return iceParameters;
  }

  async produce(request: {
    transportId: string;
    kind: MediaKind;
    source: string;
    rtpParameters: RtpParameters;
    paused?: boolean;
  }): Promise<ProducerView> {
    const transport = this.#transport(request.transportId);
    if (transport.appData.direction !== 'send') throw new MediaInvalidStateError('not a send transport');
    if (this.#producers.size + this.#pendingSources.size >= PEER_LIMITS.producers) {
      throw new MediaInvalidStateError('too many producers');
    }
    const sourceTaken =
      this.#pendingSources.has(request.source) ||
      [...this.#producers.values()].some((existing) => existing.appData.source === request.source);
    if (sourceTaken) throw new MediaInvalidStateError(`a ${request.source} producer exists already`);
    this.#pendingSources.add(request.source);
    let producer: types.Producer<ProducerAppData>;
    try {
      producer = await answerOf(
        transport.produce<ProducerAppData>({
          kind: request.kind,
          rtpParameters: request.rtpParameters,
          paused: request.paused ?? false,
          appData: { peerId: this.peerId, source: request.source },
        }),
        () => this.#transportGone(transport),
      );
    } catch (error) {
      // A second source sent with the same SSRC, MID or RID as one already produced: the
      // client's mistake (or malice), not a server fault.
      if (error instanceof Error && !(error instanceof TypeError) && /already exists in RTP listener/.test(error.message)) {
        throw new MediaInvalidStateError('these RTP streams are sent by another producer already');
      }
      throw error;
    } finally {
      this.#pendingSources.delete(request.source);
    }
    closeIfGone(producer, this.#transportGone(transport));
    this.#producers.set(producer.id, producer);
    producer.observer.on('close', () => this.#producers.delete(producer.id));
    producer.on('score', (scores) => {
      // For simulcast the best layer tells how well the sender gets through.
      const best = scores.reduce((max, s) => Math.max(max, s.score), 0);
      this.safeEmit('producerscore', producer.id, best);
    });
    this.#context.registerProducer(producer, this.peerId);
    return toProducerView(producer);
  }

  closeProducer(producerId: string): void {
    this.#producer(producerId).close();
  }

  /** Pauses or resumes a producer; asking for the state it is in already succeeds. */
  async setProducerPaused(producerId: string, paused: boolean): Promise<ProducerView> {
    const producer = this.#producer(producerId);
    await answerOf(paused ? producer.pause() : producer.resume(), () => this.#producerGone(producer));
    // Closed meanwhile: the caller must not announce a pause of a producer that is gone.
    throwIfGone(this.#producerGone(producer));
    return toProducerView(producer);
  }

  /** Creates a paused consumer of another peer's producer; the client resumes it when ready. */
  async consume(request: {
    transportId: string;
    producerId: string;
    rtpCapabilities: RtpCapabilities;
  }): Promise<ConsumerParams> {
    const transport = this.#transport(request.transportId);
    if (transport.appData.direction !== 'recv') throw new MediaInvalidStateError('not a receive transport');
    if (this.#consumers.size + this.#pendingConsumers >= PEER_LIMITS.consumers) {
      throw new MediaInvalidStateError('too many consumers');
    }
    const found = this.#context.findProducer(request.producerId);
    if (!found) throw new MediaNotFoundError('no such producer');
    if (found.peerId === this.peerId) throw new MediaInvalidStateError('cannot consume own producer');
    const router = this.#context.router;
    if (!router.canConsume({ producerId: request.producerId, rtpCapabilities: request.rtpCapabilities })) {
      throw new MediaInvalidStateError('receiver cannot decode this producer');
    }
    const gone: GoneCheck = () =>
      this.#transportGone(transport) ?? (found.producer.closed ? new MediaNotFoundError('no such producer') : undefined);
    this.#pendingConsumers++;
    let consumer: types.Consumer<ConsumerAppData>;
    try {
      consumer = await answerOf(
        transport.consume<ConsumerAppData>({
          producerId: request.producerId,
          rtpCapabilities: request.rtpCapabilities,
          paused: true,
          appData: { producerPeerId: found.peerId, clientReady: false, hidden: false, pauseRequested: true },
        }),
        gone,
      );
    } finally {
      this.#pendingConsumers--;
    }
    // Closing it here also drops the worker's 'producerclose' for it: the client never had it.
    closeIfGone(consumer, gone());
    this.#consumers.set(consumer.id, consumer);
    consumer.observer.on('close', () => this.#consumers.delete(consumer.id));
    consumer.on('producerclose', () => {
      this.safeEmit('consumerclosed', {
        consumerId: consumer.id,
        producerId: consumer.producerId,
        kind: consumer.kind,
      });
    });
    return {
      consumerId: consumer.id,
      producerId: consumer.producerId,
      producerPeerId: found.peerId,
      kind: consumer.kind,
      rtpParameters: consumer.rtpParameters,
    };
  }

  /** The client is ready for packets; they flow unless the tile is hidden or video is off. */
  async resumeConsumer(consumerId: string): Promise<void> {
    const consumer = this.#consumer(consumerId);
    consumer.appData.clientReady = true;
    await this.#applyPause(consumer);
  }

  /** Pauses a consumer whose tile is off screen, and picks the simulcast layer for its size. */
  async setConsumerPreferences(consumerId: string, visible: boolean, height?: number): Promise<void> {
    const consumer = this.#consumer(consumerId);
    consumer.appData.hidden = !visible;
    if (height !== undefined && consumer.type === 'simulcast') {
      const layers = { spatialLayer: spatialLayerForHeight(height), temporalLayer: 2 };
      await answerOf(consumer.setPreferredLayers(layers), () => this.#consumerGone(consumer));
    }
    await this.#applyPause(consumer);
  }

  /** Audio-only mode: no video packets at all to this participant while off. */
  async setReceiveVideo(enabled: boolean): Promise<void> {
    this.#assertOpen();
    this.#receiveVideo = enabled;
    const videoConsumers = [...this.#consumers.values()].filter((c) => c.kind === 'video');
    await Promise.all(
      videoConsumers.map((consumer) =>
        this.#applyPause(consumer).catch((error: unknown) => {
          // A consumer whose producer went away meanwhile needs no packets either way.
          if (!(error instanceof MediaNotFoundError)) throw error;
        }),
      ),
    );
    this.#assertOpen();
  }

  get receivesVideo(): boolean {
    return this.#receiveVideo;
  }

  /** The consumer's preferred spatial layer, or undefined when it is not simulcast. */
  preferredSpatialLayer(consumerId: string): number | undefined {
    return this.#consumer(consumerId).preferredLayers?.spatialLayer;
  }

  /** Whether the server holds this consumer paused (for tests and metrics). */
  isConsumerPaused(consumerId: string): boolean {
    return this.#consumer(consumerId).paused;
  }

  producers(): ProducerView[] {
    return [...this.#producers.values()].map(toProducerView);
  }

  counts(): MediaCounts {
    return {
      routers: 0,
      transports: this.#transports.size,
      producers: this.#producers.size,
      consumers: this.#consumers.size,
    };
  }

  /** Closes every transport, and with them every producer and consumer. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const transport of [...this.#transports.values()]) transport.close();
    this.safeEmit('close');
  }

  #assertOpen(): void {
    if (this.#closed) throw new MediaInvalidStateError('peer closed');
  }

  #transport(transportId: string): types.WebRtcTransport<TransportAppData> {
    this.#assertOpen();
    const transport = this.#transports.get(transportId);
    if (!transport) throw new MediaNotFoundError('no such transport');
    return transport;
  }

  #consumer(consumerId: string): types.Consumer<ConsumerAppData> {
    this.#assertOpen();
    const consumer = this.#consumers.get(consumerId);
    if (!consumer) throw new MediaNotFoundError('no such consumer');
    throwIfGone(this.#consumerGone(consumer));
    return consumer;
  }

  #producer(producerId: string): types.Producer<ProducerAppData> {
    this.#assertOpen();
    const producer = this.#producers.get(producerId);
    if (!producer) throw new MediaNotFoundError('no such producer');
    return producer;
  }

  /** One rule for whether packets flow, whichever of its inputs changed. */
  async #applyPause(consumer: types.Consumer<ConsumerAppData>): Promise<void> {
    const { clientReady, hidden } = consumer.appData;
    const pause = !clientReady || hidden || (consumer.kind === 'video' && !this.#receiveVideo);
    let request = this.#pauseRequests.get(consumer) ?? Promise.resolve();
    if (pause !== consumer.appData.pauseRequested) {
      consumer.appData.pauseRequested = pause;
      request = pause ? consumer.pause() : consumer.resume();
      this.#pauseRequests.set(consumer, request);
    }
    try {
      // Nothing to change still waits for the request in flight, so the reply means "in effect".
      await answerOf(request, () => this.#consumerGone(consumer));
    } catch (error) {
      // The outcome is unknown: the next change asks the worker again rather than trust it.
      if (this.#pauseRequests.get(consumer) === request) {
        consumer.appData.pauseRequested = consumer.paused;
        this.#pauseRequests.delete(consumer);
      }
      throw error;
    }
    throwIfGone(this.#consumerGone(consumer));
  }

  /** The error for a request on this peer once it has closed (left, replaced, router gone). */
  #peerGone(): Error | undefined {
    return this.#closed ? new MediaInvalidStateError('peer closed') : undefined;
  }

  #transportGone(transport: types.Transport): Error | undefined {
    return this.#peerGone() ?? (transport.closed ? new MediaNotFoundError('transport closed') : undefined);
  }

  #producerGone(producer: types.Producer): Error | undefined {
    return this.#peerGone() ?? (producer.closed ? new MediaNotFoundError('producer closed') : undefined);
  }

  /**
   * A consumer is gone when closed, and also as soon as its producer has left the room: the
   * worker's 'producerclose' for it comes later, and requests for it already fail.
   */
  #consumerGone(consumer: types.Consumer): Error | undefined {
    if (this.#closed) return new MediaInvalidStateError('peer closed');
    if (consumer.closed || !this.#context.findProducer(consumer.producerId)) return new MediaNotFoundError('consumer closed');
    return undefined;
  }
}

function toProducerView(producer: types.Producer<ProducerAppData>): ProducerView {
  return {
    producerId: producer.id,
    peerId: producer.appData.peerId,
    kind: producer.kind,
    source: producer.appData.source,
    paused: producer.paused,
  };
}
