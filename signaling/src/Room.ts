import { EventEmitter } from 'node:events';
import type { ProducerView, RoomMedia } from '@tupa/media-server';
import type { Logger } from 'pino';
import { forbiddenError, invalidStateError } from './errors.ts';
import { Peer, type PeerChannel } from './Peer.ts';
import type { MediaSource, NotificationName, NotificationPayload, PeerInfo, RtpCapabilities } from './protocol/index.ts';
import { QualityTracker } from './QualityTracker.ts';

export interface RoomOptions {
  /** How long an empty room keeps its router, so a quick reload does not rebuild it. */
  emptyRoomGraceMs: number;
  /** How long a participant whose signaling dropped keeps their place and media. */
  reconnectGraceMs: number;
  /** Most participants at once. */
  capacity: number;
}

type RoomEvents = { close: [] };
type LeaveReason = 'left' | 'disconnected' | 'replaced' | 'room-closed';

/**
 * A live room: its participants, its router, and the notifications between them. The room is
 * the single owner of its peers; a peer leaves only through `leave`. If the router's worker
 * dies, the room moves to a new router and everyone rebuilds their media there.
 */
export class Room extends EventEmitter<RoomEvents> {
  readonly id: string;
  readonly #peers = new Map<string, Peer>();
  readonly #options: RoomOptions;
  readonly #logger: Logger;
  readonly #createMedia: () => Promise<RoomMedia>;
  readonly #quality: QualityTracker;
  #media: RoomMedia;
  #mediaReady: Promise<void> = Promise.resolve();
  #activeSpeaker: string | null = null;
  #emptyTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(id: string, media: RoomMedia, createMedia: () => Promise<RoomMedia>, options: RoomOptions, logger: Logger) {
    super();
    this.id = id;
    this.#media = media;
    this.#createMedia = createMedia;
    this.#options = options;
    this.#logger = logger.child({ roomId: id });
    this.#quality = new QualityTracker((peerId, score) => this.broadcast('connectionQuality', { peerId, score }));
    this.#wireRoomMedia(media);
    this.#scheduleCloseIfEmpty();
  }

  get closed(): boolean {
    return this.#closed;
  }

  get size(): number {
    return this.#peers.size;
  }

  get media(): RoomMedia {
    return this.#media;
  }

  get routerRtpCapabilities(): RtpCapabilities {
    return this.#media.rtpCapabilities as RtpCapabilities;
  }

  /** Resolves when the room has a working router (at once, unless one is being rebuilt). */
  whenMediaReady(): Promise<void> {
    return this.#mediaReady;
  }

  /**
   * Adds a participant. With a valid `resume`, the same tab takes back its earlier place:
   * keeping its media when it asks to and the server still has it, else starting afresh under
   * the same id. Either way nobody sees a second tile.
   */
  join(request: {
    displayName: string;
    channel: PeerChannel;
    resume?: { peerId: string; secret: string; keepMedia?: boolean };
  }): { peer: Peer; mediaKept: boolean } {
    if (this.#closed) throw invalidStateError('room closed');
    const previous = request.resume ? this.#peers.get(request.resume.peerId) : undefined;
    const resumable = previous && request.resume && previous.hasResumeSecret(request.resume.secret);
    if (previous && resumable && request.resume?.keepMedia && !previous.media.closed) {
      clearTimeout(previous.awayTimer);
      previous.awayTimer = undefined;
      previous.attach(request.channel);
      this.broadcast('peerConnectionState', { peerId: previous.id, state: 'connected' }, previous);
      this.#logger.info({ peerId: previous.id }, 'peer resumed with its media');
      return { peer: previous, mediaKept: true };
    }
    const reuseId = previous && resumable ? previous.id : undefined;
    if (previous && resumable) this.leave(previous, 'replaced');
    if (this.#peers.size >= this.#options.capacity) throw forbiddenError('room is full', 'room-full');
    clearTimeout(this.#emptyTimer);
    const id = reuseId ?? Peer.newId();
    const peer = new Peer({
      id,
      displayName: request.displayName,
      channel: request.channel,
      media: this.#media.createPeerMedia(id),
    });
    this.#wirePeerMedia(peer);
    this.#peers.set(peer.id, peer);
    this.broadcast('peerJoined', { peer: peer.info() }, peer);
    this.#logger.info({ peerId: peer.id, peers: this.#peers.size, resumed: Boolean(reuseId) }, 'peer joined');
    return { peer, mediaKept: false };
  }

  /**
   * The peer's signaling dropped. Its place and media are kept for the reconnect grace period,
   * so a laptop that sleeps for a few seconds comes back to the same call.
   */
  disconnected(peer: Peer, channel: PeerChannel): void {
    if (this.#peers.get(peer.id) !== peer || peer.channel !== channel) return;
    if (this.#options.reconnectGraceMs <= 0) {
      this.leave(peer, 'disconnected');
      return;
    }
    clearTimeout(peer.awayTimer);
    peer.awayTimer = setTimeout(() => this.leave(peer, 'disconnected'), this.#options.reconnectGraceMs);
    peer.awayTimer.unref();
    this.broadcast('peerConnectionState', { peerId: peer.id, state: 'reconnecting' }, peer);
    this.#logger.info({ peerId: peer.id }, 'peer away, keeping its place');
  }

  /** Removes a participant and closes all of its media. Idempotent. */
  leave(peer: Peer, reason: LeaveReason): void {
    if (this.#peers.get(peer.id) !== peer) return;
    this.#peers.delete(peer.id);
    clearTimeout(peer.awayTimer);
    peer.awayTimer = undefined;
    peer.media.close();
    this.#quality.forget(peer.id);
    if (reason === 'replaced') peer.channel.release('replaced');
    this.broadcast('peerLeft', { peerId: peer.id });
    if (this.#activeSpeaker === peer.id) {
      this.#activeSpeaker = null;
      this.broadcast('activeSpeaker', { peerId: null });
    }
    this.#logger.info({ peerId: peer.id, reason, peers: this.#peers.size }, 'peer left');
    this.#scheduleCloseIfEmpty();
  }

  /** A participant by id, if present. */
  peer(peerId: string): Peer | undefined {
    return this.#peers.get(peerId);
  }

  /** Everyone else, as the joining peer should first see them. */
  peerInfos(except?: Peer): PeerInfo[] {
    return [...this.#peers.values()].filter((p) => p !== except).map((p) => p.info());
  }

  get activeSpeaker(): string | null {
    return this.#activeSpeaker;
  }

  async produce(
    peer: Peer,
    request: Parameters<Peer['media']['produce']>[0] & { source: MediaSource },
  ): Promise<ProducerView> {
    const producer = await peer.media.produce(request);
    this.broadcast('producerAdded', { peerId: peer.id, producer: toProducerInfo(producer) }, peer);
    return producer;
  }

  closeProducer(peer: Peer, producerId: string): void {
    peer.media.closeProducer(producerId);
    this.#quality.removeProducer(peer.id, producerId);
    this.broadcast('producerClosed', { peerId: peer.id, producerId }, peer);
  }

  async setProducerPaused(peer: Peer, producerId: string, paused: boolean): Promise<void> {
    await peer.media.setProducerPaused(producerId, paused);
    this.broadcast('producerPaused', { peerId: peer.id, producerId, paused }, peer);
  }

  broadcast<K extends NotificationName>(name: K, payload: NotificationPayload<K>, except?: Peer): void {
    for (const peer of this.#peers.values()) {
      if (peer !== except) peer.channel.notify(name, payload);
    }
  }

  /** Tells everyone the room is closing, closes their media and the router. Idempotent. */
  close(reason: 'room-closed' | 'server-shutdown' = 'room-closed'): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#emptyTimer);
    this.#quality.close();
    for (const peer of [...this.#peers.values()]) {
      clearTimeout(peer.awayTimer);
      peer.channel.notify('removed', { reason });
      this.#peers.delete(peer.id);
      peer.media.close();
    }
    this.#media.close();
    this.#logger.info('room closed');
    this.emit('close');
  }

  #wireRoomMedia(media: RoomMedia): void {
    media.once('close', (reason) => {
      if (this.#closed || media !== this.#media) return;
      if (reason === 'worker-died') this.#rebuildMedia();
      else this.close();
    });
    media.on('activespeaker', (peerId) => {
      if (peerId === this.#activeSpeaker || !this.#peers.has(peerId)) return;
      this.#activeSpeaker = peerId;
      this.broadcast('activeSpeaker', { peerId });
    });
  }

  #wirePeerMedia(peer: Peer): void {
    const media = peer.media;
    media.on('consumerclosed', ({ consumerId, kind }) => {
      if (peer.media === media) peer.channel.notify('consumerClosed', { consumerId, kind });
    });
    media.on('producerscore', (producerId, score) => {
      if (peer.media === media) this.#quality.update(peer.id, producerId, score);
    });
  }

  /** The worker died: a new router elsewhere, new empty media for everyone, and a reset notice. */
  #rebuildMedia(): void {
    this.#logger.warn('room media lost with its worker, moving to a new router');
    this.#activeSpeaker = null;
    this.#mediaReady = (async () => {
      const media = await this.#createMedia();
      if (this.#closed) {
        media.close();
        return;
      }
      this.#media = media;
      this.#wireRoomMedia(media);
      for (const peer of this.#peers.values()) {
        this.#quality.forget(peer.id);
        peer.replaceMedia(media.createPeerMedia(peer.id));
        this.#wirePeerMedia(peer);
        peer.channel.notify('mediaReset', { routerRtpCapabilities: this.routerRtpCapabilities });
      }
      this.#logger.info({ peers: this.#peers.size }, 'room media rebuilt');
    })().catch((error: unknown) => {
      this.#logger.error({ err: error }, 'room media could not be rebuilt');
      this.close();
    });
  }

  #scheduleCloseIfEmpty(): void {
    if (this.#peers.size > 0 || this.#closed) return;
    clearTimeout(this.#emptyTimer);
    this.#emptyTimer = setTimeout(() => {
      if (this.#peers.size === 0) this.close();
    }, this.#options.emptyRoomGraceMs);
    this.#emptyTimer.unref();
  }
}

function toProducerInfo(view: ProducerView) {
  return { producerId: view.producerId, kind: view.kind, source: view.source as MediaSource, paused: view.paused };
}
