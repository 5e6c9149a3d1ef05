import { randomUUID } from 'node:crypto';
import type { PeerMedia } from '@tupa/media-server';
import type { MediaSource, NotificationName, NotificationPayload, PeerInfo, ProducerInfo, Role } from './protocol/index.ts';
import type { Room } from './Room.ts';
import { newResumeSecret, sameSecret } from './secrets.ts';
import { TokenBucket } from './TokenBucket.ts';

export type ReleaseReason = 'replaced' | 'removed-by-host' | 'session-ended' | 'lobby-denied' | 'room-closed' | 'server-shutdown';

/** `volatile`: may be dropped rather than queued when the link is slow (a pointer that moves on). */
export interface NotifyOptions {
  volatile?: boolean;
}

/** How the server reaches one participant; the Socket.IO connection implements it. */
export interface PeerChannel {
  notify<K extends NotificationName>(name: K, payload: NotificationPayload<K>, options?: NotifyOptions): void;
  /** This channel no longer speaks for anyone in the room; tell it why. */
  release(reason: ReleaseReason): void;
  /** A host let this waiting channel in: it now speaks for `peer` in `room`. */
  enterCall(room: Room, peer: Peer): void;
  /** The connection is gone (its person may come back on another one). */
  readonly closed: boolean;
}

/** What a participant sends: the media request with the source it comes from. */
export type ProduceRequest = Parameters<PeerMedia['produce']>[0] & { source: MediaSource };

/**
 * One participant in a room: who they are, how to reach them, their media, and the timer that
 * keeps their place while their connection is away. The room decides when they come and go;
 * the peer owns its own state, and `close` ends all of it.
 */
export class Peer {
  readonly id: string;
  readonly displayName: string;
  /** Lets the same browser tab take back its place after a reconnect; never logged. */
  readonly resumeSecret: string;
  readonly role: Role;
  handRaised = false;
  /** Chat lines this participant may still send: five at once, then one a second. */
  readonly chatBudget = new TokenBucket(5, 1);
  readonly #onProducerScore: (producerId: string, score: number) => void;
  #channel: PeerChannel;
  #media: PeerMedia;
  /** Set while the peer's signaling is gone and it may still come back. */
  #awayTimer: NodeJS.Timeout | undefined;
  /** The room's media moved to a new router while this peer was away: it never heard of it. */
  #missedMediaReset = false;
  #closed = false;

  constructor(options: {
    id?: string;
    displayName: string;
    role: Role;
    channel: PeerChannel;
    media: PeerMedia;
    /** A guest let in from the lobby keeps the secret they waited with. */
    resumeSecret?: string;
    /** How well one of this peer's producers reaches the server, 0 to 10 (for the room's quality). */
    onProducerScore?: (producerId: string, score: number) => void;
  }) {
    this.id = options.id ?? randomUUID();
    this.displayName = options.displayName;
    this.role = options.role;
    this.resumeSecret = options.resumeSecret ?? newResumeSecret();
    this.#channel = options.channel;
    this.#onProducerScore = options.onProducerScore ?? (() => {});
    this.#media = options.media;
    this.#listenTo(options.media);
  }

  static newId(): string {
    return randomUUID();
  }

  static newSecret(): string {
    return newResumeSecret();
  }

  get channel(): PeerChannel {
    return this.#channel;
  }

  /** The transports and consumers, for the media requests that concern only this peer. */
  get media(): PeerMedia {
    return this.#media;
  }

  /** Whether the connection is gone and the place is being kept for it. */
  get away(): boolean {
    return this.#awayTimer !== undefined;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Whether a returning tab may keep the media it holds: the server still has it, and it was
   * not rebuilt on a new router while the tab was away (its `mediaReset` was lost, so the tab's
   * transports are of the old router).
   */
  get mediaKeepable(): boolean {
    return !this.#media.closed && !this.#missedMediaReset;
  }

  /**
   * The connection dropped: the place is kept for `graceMs`, then `onGone` runs (once), unless
   * the peer comes back or closes first. Asking again restarts the wait.
   */
  goAway(graceMs: number, onGone: () => void): void {
    if (this.#closed) return;
    clearTimeout(this.#awayTimer);
    this.#awayTimer = setTimeout(() => {
      this.#awayTimer = undefined;
      onGone();
    }, graceMs);
    this.#awayTimer.unref();
  }

  /** The tab came back on `channel`: the wait ends, and an older channel is told it was replaced. */
  comeBack(channel: PeerChannel): void {
    clearTimeout(this.#awayTimer);
    this.#awayTimer = undefined;
    if (channel === this.#channel) return;
    this.#channel.release('replaced');
    this.#channel = channel;
  }

  /** This peer's producers, as the others see them. */
  producers(): ProducerInfo[] {
    return this.#media.producers().map((p) => ({
      producerId: p.producerId,
      kind: p.kind,
      source: p.source as MediaSource,
      paused: p.paused,
    }));
  }

  /** Starts sending one source; throws the media layer's errors (see PeerMedia.produce). */
  async produce(request: ProduceRequest): Promise<ProducerInfo> {
    const view = await this.#media.produce(request);
    return { producerId: view.producerId, kind: view.kind, source: view.source as MediaSource, paused: view.paused };
  }

  /** Closes one of this participant's producers (its consumers close with it). Throws not-found for an unknown id. */
  closeProducer(producerId: string): void {
    this.#media.closeProducer(producerId);
  }

  /** Pauses or resumes one of this participant's producers at the server. Throws not-found for an unknown id. */
  async setProducerPaused(producerId: string, paused: boolean): Promise<void> {
    await this.#media.setProducerPaused(producerId, paused);
  }

  /** After a worker died: media on the new router in place of the old, which is closed. */
  replaceMedia(media: PeerMedia): void {
    this.#media.close();
    if (this.away) this.#missedMediaReset = true;
    this.#media = media;
    this.#listenTo(media);
  }

  /** Constant-time check of a resume secret. */
  hasResumeSecret(secret: string): boolean {
    return sameSecret(this.resumeSecret, secret);
  }

  info(quality: number | null = null): PeerInfo {
    return {
      peerId: this.id,
      displayName: this.displayName,
      role: this.role,
      handRaised: this.handRaised,
      reconnecting: this.away,
      quality,
      producers: this.producers(),
    };
  }

  /** Ends the peer: stops the away wait and closes its media (and with it every transport). Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#awayTimer);
    this.#awayTimer = undefined;
    this.#media.close();
  }

  #listenTo(media: PeerMedia): void {
    // Events of replaced media are dropped: they speak of a router this peer has left.
    media.on('consumerclosed', ({ consumerId, kind }) => {
      if (this.#media === media) this.#channel.notify('consumerClosed', { consumerId, kind });
    });
    media.on('producerscore', (producerId, score) => {
      if (this.#media === media) this.#onProducerScore(producerId, score);
    });
  }
}
