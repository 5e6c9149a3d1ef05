import { randomUUID } from 'node:crypto';
import type { PeerMedia } from '@tupa/media-server';
import type { MediaSource, NotificationName, NotificationPayload, PeerInfo, Role } from './protocol/index.ts';
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
  /** A host let this waiting channel in: it now speaks for `peer`. */
  admit(room: Room, peer: Peer): void;
  /** The connection is gone (its person may come back on another one). */
  readonly closed: boolean;
}

/** One participant in a room: who they are, how to reach them, and their media. */
export class Peer {
  readonly id: string;
  readonly displayName: string;
  /** Lets the same browser tab take back its place after a reconnect; never logged. */
  readonly resumeSecret: string;
  readonly role: Role;
  handRaised = false;
  /** Chat lines this participant may still send: five at once, then one a second. */
  readonly chatBudget = new TokenBucket(5, 1);
  #channel: PeerChannel;
  #media: PeerMedia;
  /** Set while the peer's signaling is gone and it may still come back. */
  awayTimer: NodeJS.Timeout | undefined;
  /** The room's media moved to a new router while this peer was away: it never heard of it. */
  missedMediaReset = false;

  constructor(options: {
    id?: string;
    displayName: string;
    role: Role;
    channel: PeerChannel;
    media: PeerMedia;
    /** A guest let in from the lobby keeps the secret they waited with. */
    resumeSecret?: string;
  }) {
    this.id = options.id ?? randomUUID();
    this.displayName = options.displayName;
    this.role = options.role;
    this.resumeSecret = options.resumeSecret ?? newResumeSecret();
    this.#channel = options.channel;
    this.#media = options.media;
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

  get media(): PeerMedia {
    return this.#media;
  }

  get away(): boolean {
    return this.awayTimer !== undefined;
  }

  /** A reconnected tab takes over: the old channel is told and dropped. */
  attach(channel: PeerChannel): void {
    if (channel === this.#channel) return;
    this.#channel.release('replaced');
    this.#channel = channel;
  }

  /** After a worker died: the room gives the peer media on the new router. */
  replaceMedia(media: PeerMedia): void {
    this.#media.close();
    this.#media = media;
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
      producers: this.#media.producers().map((p) => ({
        producerId: p.producerId,
        kind: p.kind,
        source: p.source as MediaSource,
        paused: p.paused,
      })),
    };
  }
}
