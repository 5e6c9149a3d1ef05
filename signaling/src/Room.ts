import { EventEmitter } from 'node:events';
import type { ProducerView, RoomMedia } from '@tupa/media-server';
import type { Logger } from 'pino';
import { forbiddenError, invalidStateError } from './errors.ts';
import { Peer, type PeerChannel } from './Peer.ts';
import type { MediaSource, NotificationName, NotificationPayload, PeerInfo } from './protocol/index.ts';

export interface RoomOptions {
  /** How long an empty room keeps its router, so a quick reload does not rebuild it. */
  emptyRoomGraceMs: number;
  /** Most participants at once. */
  capacity: number;
}

type RoomEvents = { close: [] };

/**
 * A live room: its participants, its router, and the notifications between them. The room is
 * the single owner of its peers; a peer leaves only through `leave`.
 */
export class Room extends EventEmitter<RoomEvents> {
  readonly id: string;
  readonly media: RoomMedia;
  readonly #peers = new Map<string, Peer>();
  readonly #options: RoomOptions;
  readonly #logger: Logger;
  #emptyTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(id: string, media: RoomMedia, options: RoomOptions, logger: Logger) {
    super();
    this.id = id;
    this.media = media;
    this.#options = options;
    this.#logger = logger.child({ roomId: id });
    media.once('close', (reason) => {
      if (reason === 'worker-died') this.#logger.warn('room media lost with its worker');
      this.close();
    });
    this.#scheduleCloseIfEmpty();
  }

  get closed(): boolean {
    return this.#closed;
  }

  get size(): number {
    return this.#peers.size;
  }

  /**
   * Adds a participant. With a valid `resume`, the earlier peer of the same tab is replaced
   * (closed first), so a reconnect never leaves a ghost tile behind.
   */
  join(request: { displayName: string; channel: PeerChannel; resume?: { peerId: string; secret: string } }): Peer {
    if (this.#closed) throw invalidStateError('room closed');
    let reuseId: string | undefined;
    const previous = request.resume ? this.#peers.get(request.resume.peerId) : undefined;
    if (previous && request.resume && previous.hasResumeSecret(request.resume.secret)) {
      reuseId = previous.id;
      this.leave(previous, 'replaced');
    }
    if (this.#peers.size >= this.#options.capacity) throw forbiddenError('room is full');
    clearTimeout(this.#emptyTimer);
    const peer = new Peer({
      ...(reuseId ? { id: reuseId } : {}),
      displayName: request.displayName,
      channel: request.channel,
      media: (id) => this.media.createPeerMedia(id),
    });
    peer.media.on('consumerclosed', ({ consumerId, kind }) => {
      peer.channel.notify('consumerClosed', { consumerId, kind });
    });
    this.#peers.set(peer.id, peer);
    this.broadcast('peerJoined', { peer: peer.info() }, peer);
    this.#logger.info({ peerId: peer.id, peers: this.#peers.size, resumed: Boolean(reuseId) }, 'peer joined');
    return peer;
  }

  /** Removes a participant and closes all of its media. Idempotent. */
  leave(peer: Peer, reason: 'left' | 'disconnected' | 'replaced' | 'room-closed'): void {
    if (this.#peers.get(peer.id) !== peer) return;
    this.#peers.delete(peer.id);
    peer.media.close();
    if (reason === 'replaced') peer.channel.notify('removed', { reason: 'replaced' });
    this.broadcast('peerLeft', { peerId: peer.id });
    this.#logger.info({ peerId: peer.id, reason, peers: this.#peers.size }, 'peer left');
    this.#scheduleCloseIfEmpty();
  }

  /** Everyone else, as the joining peer should first see them. */
  peerInfos(except?: Peer): PeerInfo[] {
    return [...this.#peers.values()].filter((p) => p !== except).map((p) => p.info());
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
    for (const peer of [...this.#peers.values()]) {
      peer.channel.notify('removed', { reason });
      this.#peers.delete(peer.id);
      peer.media.close();
    }
    this.media.close();
    this.#logger.info('room closed');
    this.emit('close');
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
