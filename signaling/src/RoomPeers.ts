import type { RoomMedia } from '@tupa/media-server';
import type { NotifyOptions, Peer } from './Peer.ts';
import { mayAdmitFromLobby, type NotificationName, type NotificationPayload, type PeerInfo, type RtpCapabilities } from './protocol/index.ts';
import { QualityTracker } from './QualityTracker.ts';

/**
 * The participants of one room by id, as the others see them (who speaks, how well each one's
 * media gets through), and how to tell them things. The room decides who comes and goes; this
 * keeps the book.
 */
export class RoomPeers {
  readonly #peers = new Map<string, Peer>();
  readonly #quality = new QualityTracker((peerId, score) => this.broadcast('connectionQuality', { peerId, score }));
  #activeSpeaker: string | null = null;

  get size(): number {
    return this.#peers.size;
  }

  /**
   * Whether someone who may let people in (a host) is in the room. A host whose connection dropped counts while their place is
   * kept, so a laptop that sleeps for a few seconds does not tell the lobby the host has gone.
   */
  get hostPresent(): boolean {
    for (const peer of this.#peers.values()) if (mayAdmitFromLobby({ actor: peer }).allowed) return true;
    return false;
  }

  /** Who is speaking now (the loudest for a while), or nobody. */
  get activeSpeaker(): string | null {
    return this.#activeSpeaker;
  }

  /** Everyone hears of a new speaker (one of the participants, or nobody). */
  speakerChanged(peerId: string | null): void {
    if (peerId === this.#activeSpeaker || (peerId !== null && !this.#peers.has(peerId))) return;
    this.#activeSpeaker = peerId;
    this.broadcast('activeSpeaker', { peerId });
  }

  /** The participant with this id, if present. */
  get(peerId: string): Peer | undefined {
    return this.#peers.get(peerId);
  }

  /** Whether a participant with this id is present. */
  has(peerId: string): boolean {
    return this.#peers.has(peerId);
  }

  /** Everyone, in the order they came. */
  all(): Peer[] {
    return [...this.#peers.values()];
  }

  /** Takes a participant in; Room decides who may come in. */
  add(peer: Peer): void {
    this.#peers.set(peer.id, peer);
  }

  /** Takes `peer` out (not another peer under its id) and forgets its quality; false if it was not here. */
  remove(peer: Peer): boolean {
    if (this.#peers.get(peer.id) !== peer) return false;
    this.#peers.delete(peer.id);
    this.#quality.forget(peer.id);
    return true;
  }

  /** Everyone but `except`, as a newcomer should first see them. */
  infos(except?: Peer): PeerInfo[] {
    return this.all()
      .filter((p) => p !== except)
      .map((p) => p.info(this.#quality.score(p.id) ?? null));
  }

  broadcast<K extends NotificationName>(name: K, payload: NotificationPayload<K>, except?: Peer): void {
    for (const peer of this.#peers.values()) {
      if (peer !== except) peer.channel.notify(name, payload);
    }
  }

  /** Tells every participant, each their own payload (a game's view differs from person to person). */
  notifyEach<K extends NotificationName>(name: K, payloadFor: (peer: Peer) => NotificationPayload<K>): void {
    for (const peer of this.#peers.values()) peer.channel.notify(name, payloadFor(peer));
  }

  /** Tells the participants `to` picks; volatile notices may be dropped on a congested link. */
  notifyWhere<K extends NotificationName>(
    name: K,
    payload: NotificationPayload<K>,
    to: (peer: Peer) => boolean,
    options?: NotifyOptions,
  ): void {
    for (const peer of this.#peers.values()) {
      if (to(peer)) peer.channel.notify(name, payload, options);
    }
  }

  /** A producer's latest score, 0 to 10; the room hears of a participant's weakest, now and then. */
  producerScore(peerId: string, producerId: string, score: number): void {
    this.#quality.update(peerId, producerId, score);
  }

  /** A participant's producer closed: its quality score is forgotten. */
  producerClosed(peerId: string, producerId: string): void {
    this.#quality.removeProducer(peerId, producerId);
  }

  /**
   * The worker died and a new router is ready: everyone gets new empty media there and is told
   * to rebuild theirs; no speaker or score is known any more.
   */
  moveTo(media: RoomMedia): void {
    this.#activeSpeaker = null;
    for (const peer of this.#peers.values()) {
      this.#quality.forget(peer.id);
      peer.replaceMedia(media.createPeerMedia(peer.id));
      peer.channel.notify('mediaReset', { routerRtpCapabilities: media.rtpCapabilities as RtpCapabilities });
    }
  }

  /** Takes everyone out and stops the quality reports; returns who was here. */
  clear(): Peer[] {
    const all = this.all();
    this.#peers.clear();
    this.#quality.close();
    return all;
  }
}
