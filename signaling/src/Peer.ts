import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { PeerMedia } from '@tupa/media-server';
import type { NotificationName, NotificationPayload, PeerInfo, MediaSource } from './protocol/index.ts';

/** How the server reaches one participant; the Socket.IO connection implements it. */
export interface PeerChannel {
  notify<K extends NotificationName>(name: K, payload: NotificationPayload<K>): void;
}

/** One participant in a room: who they are, how to reach them, and their media. */
export class Peer {
  readonly id: string;
  readonly displayName: string;
  /** Lets the same browser tab take back its place after a reconnect; never logged. */
  readonly resumeSecret: string;
  readonly channel: PeerChannel;
  readonly media: PeerMedia;

  constructor(options: { id?: string; displayName: string; channel: PeerChannel; media: (id: string) => PeerMedia }) {
    this.id = options.id ?? randomUUID();
    this.displayName = options.displayName;
    this.resumeSecret = randomBytes(16).toString('base64url');
    this.channel = options.channel;
    this.media = options.media(this.id);
  }

  /** Constant-time check of a resume secret. */
  hasResumeSecret(secret: string): boolean {
    const a = Buffer.from(secret);
    const b = Buffer.from(this.resumeSecret);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  info(): PeerInfo {
    return {
      peerId: this.id,
      displayName: this.displayName,
      producers: this.media.producers().map((p) => ({
        producerId: p.producerId,
        kind: p.kind,
        source: p.source as MediaSource,
        paused: p.paused,
      })),
    };
  }
}
