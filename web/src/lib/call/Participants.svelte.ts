import { SvelteMap } from 'svelte/reactivity';
import type { PeerInfo, ProducerInfo } from '@tupa/signaling/protocol';
import type { CallMedia, ReceivedMedia } from './CallMedia.ts';
import { RemotePeer } from './RemotePeer.svelte.ts';
import { RequestError, type SignalingClient } from './signalingClient.ts';
import { TilePreferences, type TilePlacement, type TilePreferencesOptions } from './tilePreferences.ts';

/** Someone arriving or leaving, for the screen-reader announcement. */
export interface CallEvent {
  id: number;
  kind: 'joined' | 'left';
  name: string;
}

export interface ParticipantsOptions {
  /** The CallMedia in use now, or null while there is none (before joining, while rebuilding). */
  media: () => CallMedia | null;
  /** Sends where one remote camera tile is, for the consumer that carries it. */
  sendTile: TilePreferencesOptions['send'];
  /** Whether this tab is in the call (notifications are ignored otherwise). */
  inCall: () => boolean;
  /** This tab's own peer id. */
  selfId: () => string | null;
  /** The server's link score for this tab itself. */
  onOwnScore: (score: number) => void;
}

/**
 * The other participants as this tab sees them: who is there, what each one sends, the tracks
 * received from them, who is speaking and how their links are. It follows the room's
 * notifications and a joinRoom reply's list, and receives every producer through the current
 * CallMedia (a media build receives everything known once it is ready).
 */
export class Participants {
  /** Other participants by peer id, in joining order. */
  readonly peers = new SvelteMap<string, RemotePeer>();
  /** The latest arrival or departure, for the screen-reader announcement. */
  lastEvent = $state.raw<CallEvent | null>(null);
  /** Who is speaking now (possibly this tab itself), or null. */
  activeSpeakerId = $state<string | null>(null);

  /** Where each remote camera tile is, sent to the server for the consumer that carries it. */
  readonly tiles: TilePreferences;

  readonly #options: ParticipantsOptions;
  #eventCounter = 0;
  /**
   * Who arrived by notification since the latest join request was sent: a reply may have been
   * put together before they came (and arrive after their peerJoined), so it must not drop them.
   */
  readonly #arrivedSinceRequest = new Set<string>();

  constructor(options: ParticipantsOptions) {
    this.#options = options;
    this.tiles = new TilePreferences({
      consumerOf: (peerId) => options.media()?.consumerIdOf(peerId, 'camera'),
      send: options.sendTile,
    });
  }

  /**
   * Brings the participants in line with a joinRoom reply: those no longer listed leave, new ones
   * arrive, and each one's producers are those listed. With `mediaKept`, consumers of producers
   * that are still there stay as they are.
   */
  reconcile(
    infos: PeerInfo[],
    options: { announce: boolean; mediaKept: boolean; activeSpeaker?: string | null },
  ): void {
    if (options.activeSpeaker !== undefined) this.activeSpeakerId = options.activeSpeaker;
    const listed = new Set(infos.map((info) => info.peerId));
    for (const peerId of [...this.peers.keys()]) {
      if (!listed.has(peerId) && !this.#arrivedSinceRequest.has(peerId)) this.#remove(peerId, options.announce);
    }
    this.#arrivedSinceRequest.clear();
    for (const info of infos) {
      const isNew = !this.peers.has(info.peerId);
      const peer = this.#ensure(info.peerId, info.displayName);
      peer.displayName = info.displayName;
      // The server says who is away and how well each link works, so a newcomer sees it at once.
      peer.reconnecting = info.reconnecting;
      if (info.quality !== null) peer.score = info.quality;
      const producerIds = new Set(info.producers.map((p) => p.producerId));
      for (const producerId of [...peer.producers.keys()]) {
        if (options.mediaKept && producerIds.has(producerId)) continue;
        peer.producers.delete(producerId);
        this.#dropTrack(this.#options.media()?.closeConsumerOf(producerId));
      }
      for (const producer of info.producers) this.#addProducer(peer, producer);
      if (isNew && options.announce) this.#announce('joined', info.displayName);
    }
  }

  /** Where a remote participant's tile is and how big, so the server sends what fits. */
  placeTile(peerId: string, placement: TilePlacement): void {
    this.tiles.place(peerId, placement);
  }

  /** A join request (or an admission) is on its way: note who arrives meanwhile. */
  markRequest(): void {
    this.#arrivedSinceRequest.clear();
  }

  /** Receives every producer known so far (once the media is built). */
  receiveEverything(): void {
    for (const peer of this.peers.values()) {
      for (const producer of peer.producers.values()) void this.#receive(peer, producer);
    }
  }

  /** The consumers are gone (media closed): every tile loses its tracks, the people stay. */
  dropTracks(): void {
    for (const peer of this.peers.values()) peer.dropTracks();
  }

  /** The room's media restarted: every producer is gone; the others send theirs again. */
  forgetProducers(): void {
    for (const peer of this.peers.values()) peer.producers.clear();
    this.activeSpeakerId = null;
  }

  /** The visit's media is closed: everyone is forgotten, with where their tiles were. */
  clear(): void {
    this.#arrivedSinceRequest.clear();
    this.tiles.clear();
    this.peers.clear();
    this.activeSpeakerId = null;
  }

  /** Follows the room's notifications about the others. */
  listen(connection: SignalingClient): void {
    const active = () => this.#options.inCall();

    connection.on('peerJoined', ({ peer }) => {
      if (!active()) return;
      const isNew = !this.peers.has(peer.peerId);
      this.#arrivedSinceRequest.add(peer.peerId);
      const remote = this.#ensure(peer.peerId, peer.displayName);
      remote.displayName = peer.displayName;
      remote.reconnecting = false;
      for (const producer of peer.producers) this.#addProducer(remote, producer);
      if (isNew) this.#announce('joined', peer.displayName);
    });
    connection.on('peerLeft', ({ peerId }) => {
      this.#arrivedSinceRequest.delete(peerId);
      if (active()) this.#remove(peerId, true);
    });
    connection.on('producerAdded', ({ peerId, producer }) => {
      if (active()) this.#addProducer(this.#ensure(peerId), producer);
    });
    connection.on('producerClosed', ({ peerId, producerId }) => {
      this.peers.get(peerId)?.producers.delete(producerId);
      this.#dropTrack(this.#options.media()?.closeConsumerOf(producerId));
    });
    connection.on('producerPaused', ({ peerId, producerId, paused }) => {
      const peer = this.peers.get(peerId);
      const info = peer?.producers.get(producerId);
      if (!peer || !info) return;
      info.paused = paused;
      peer.setPaused(info.source, paused);
    });
    connection.on('consumerClosed', ({ consumerId }) => this.#dropTrack(this.#options.media()?.closeConsumer(consumerId)));
    connection.on('peerConnectionState', ({ peerId, state }) => {
      const peer = this.peers.get(peerId);
      if (peer) peer.reconnecting = state === 'reconnecting';
    });
    connection.on('activeSpeaker', ({ peerId }) => {
      if (active()) this.activeSpeakerId = peerId;
    });
    connection.on('connectionQuality', ({ peerId, score }) => {
      if (!active()) return;
      if (peerId === this.#options.selfId()) this.#options.onOwnScore(score);
      else {
        const peer = this.peers.get(peerId);
        if (peer) peer.score = score;
      }
    });
  }

  #ensure(peerId: string, displayName = ''): RemotePeer {
    let peer = this.peers.get(peerId);
    if (!peer) {
      peer = new RemotePeer(peerId, displayName);
      this.peers.set(peerId, peer);
    }
    return peer;
  }

  #addProducer(peer: RemotePeer, producer: ProducerInfo): void {
    peer.producers.set(producer.producerId, { ...producer });
    peer.setPaused(producer.source, producer.paused);
    void this.#receive(peer, producer);
  }

  /** Receives one producer of `peer`: consume, attach the track, tell the tile size, then flow. */
  async #receive(peer: RemotePeer, producer: ProducerInfo): Promise<void> {
    const media = this.#options.media();
    // Before the transports exist, the media build receives everything known once they do.
    if (!media || media.receives(producer.producerId)) return;
    try {
      const received = await media.receive(peer.peerId, producer);
      if (!received) return;
      const stillWanted =
        this.#options.media() === media && this.peers.get(peer.peerId) === peer && peer.producers.has(producer.producerId);
      if (!stillWanted) {
        media.closeConsumer(received.consumerId);
        return;
      }
      peer.setTrack(received.source, received.track);
      // The right layer (or none, for a tile off screen) from the first packet on.
      if (received.source === 'camera') {
        await this.tiles
          .applyNow(peer.peerId)
          .catch((error: unknown) => console.warn('tile preferences not sent', error));
      }
      // The server creates consumers paused, so nothing is lost before the track is attached.
      await media.resume(received.consumerId);
    } catch (error) {
      if (this.#options.media() !== media || media.closed) return;
      if (error instanceof RequestError && (error.code === 'not-found' || error.code === 'disconnected')) return;
      console.error('receiving a producer failed', { producerId: producer.producerId, error });
    }
  }

  /** Drops the track a closed consumer carried from its peer's tile. */
  #dropTrack(received: ReceivedMedia | undefined): void {
    if (!received) return;
    const peer = this.peers.get(received.peerId);
    if (!peer) return;
    const current = received.source === 'camera' ? peer.videoTrack : peer.audioTrack;
    if (current === received.track) peer.setTrack(received.source, null);
  }

  #remove(peerId: string, announce: boolean): void {
    const peer = this.peers.get(peerId);
    if (!peer) return;
    this.#options.media()?.closeConsumersOfPeer(peerId);
    this.tiles.forget(peerId);
    this.peers.delete(peerId);
    if (this.activeSpeakerId === peerId) this.activeSpeakerId = null;
    if (announce) this.#announce('left', peer.displayName);
  }

  #announce(kind: CallEvent['kind'], name: string): void {
    this.lastEvent = { id: ++this.#eventCounter, kind, name };
  }
}
