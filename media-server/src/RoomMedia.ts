import type { types } from 'mediasoup';
import { MediaInvalidStateError } from './errors.ts';
import type { Logger } from './logger.ts';
import { PeerMedia } from './PeerMedia.ts';
import { SafeEmitter } from './SafeEmitter.ts';
import { addCounts, type MediaCounts, type RtpCapabilities } from './types.ts';
import type { WorkerSlot } from './WorkerPool.ts';

export type RoomMediaCloseReason = 'closed' | 'worker-died';

type RoomMediaEvents = {
  close: [reason: RoomMediaCloseReason];
  /** The participant who has been the loudest for a while. */
  activespeaker: [peerId: string];
};

/**
 * One room's router and the media of its participants. The room's producers are indexed here
 * so any participant can consume any other's by id.
 */
export class RoomMedia extends SafeEmitter<RoomMediaEvents> {
  readonly roomId: string;
  readonly #router: types.Router;
  readonly #slot: WorkerSlot;
  readonly #initialOutgoingBitrate: number;
  readonly #peers = new Map<string, PeerMedia>();
  readonly #producers = new Map<string, { producer: types.Producer; peerId: string }>();
  #closeReason: RoomMediaCloseReason = 'closed';
  #closed = false;

  readonly #speakerObserver: types.ActiveSpeakerObserver;

  constructor(
    roomId: string,
    router: types.Router,
    speakerObserver: types.ActiveSpeakerObserver,
    slot: WorkerSlot,
    initialOutgoingBitrate: number,
    logger: Logger,
  ) {
    super(logger.child({ roomId }));
    this.roomId = roomId;
    this.#router = router;
    this.#speakerObserver = speakerObserver;
    speakerObserver.on('dominantspeaker', ({ producer }) => {
      const entry = this.#producers.get(producer.id);
      if (entry) this.safeEmit('activespeaker', entry.peerId);
    });
    this.#slot = slot;
    this.#initialOutgoingBitrate = initialOutgoingBitrate;
    slot.routerCount++;
    router.on('workerclose', () => {
      this.#closeReason = 'worker-died';
    });
    router.observer.on('close', () => this.#onRouterClosed());
  }

  get rtpCapabilities(): RtpCapabilities {
    return this.#router.rtpCapabilities;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Creates the media container for one participant; the caller owns it and closes it. */
  createPeerMedia(peerId: string): PeerMedia {
    if (this.#closed) throw new MediaInvalidStateError('room media closed');
    if (this.#peers.has(peerId)) throw new MediaInvalidStateError('peer media exists already');
    const peer = new PeerMedia(
      peerId,
      {
        router: this.#router,
        webRtcServer: this.#slot.webRtcServer,
        initialOutgoingBitrate: this.#initialOutgoingBitrate,
        registerProducer: (producer, ownerId) => this.#registerProducer(producer, ownerId),
        findProducer: (producerId) => this.#producers.get(producerId),
      },
      this.logger,
    );
    this.#peers.set(peerId, peer);
    peer.once('close', () => {
      if (this.#peers.get(peerId) === peer) this.#peers.delete(peerId);
    });
    return peer;
  }

  counts(): MediaCounts {
    let total: MediaCounts = { routers: this.#closed ? 0 : 1, transports: 0, producers: 0, consumers: 0 };
    for (const peer of this.#peers.values()) total = addCounts(total, peer.counts());
    return total;
  }

  /** Asks the worker itself what the router holds: the truth that leak tests compare against. */
  async dumpCounts(): Promise<MediaCounts> {
    if (this.#closed) return { routers: 0, transports: 0, producers: 0, consumers: 0 };
    const dump = await this.#router.dump();
    return {
      routers: 1,
      transports: dump.transportIds.length,
      producers: entryCount(dump.mapProducerIdConsumerIds),
      consumers: entryCount(dump.mapConsumerIdProducerId),
    };
  }

  /** Closes the router; with it every transport, producer and consumer. Idempotent. */
  close(): void {
    this.#router.close();
  }

  #registerProducer(producer: types.Producer, peerId: string): void {
    this.#producers.set(producer.id, { producer, peerId });
    producer.observer.on('close', () => this.#producers.delete(producer.id));
    if (producer.kind === 'audio') {
      // The observer drops closed producers by itself.
      this.#speakerObserver.addProducer({ producerId: producer.id }).catch((error: unknown) => {
        if (!producer.closed) this.logger.warn({ err: error, producerId: producer.id }, 'speaker detection not added');
      });
    }
  }

  #onRouterClosed(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#slot.routerCount--;
    for (const peer of [...this.#peers.values()]) peer.close();
    this.#peers.clear();
    this.#producers.clear();
    this.safeEmit('close', this.#closeReason);
  }
}

/** The worker's dump gives its maps as objects in 3.12 and as entry arrays in later versions. */
function entryCount(map: unknown): number {
  if (Array.isArray(map)) return map.length;
  return map && typeof map === 'object' ? Object.keys(map).length : 0;
}
