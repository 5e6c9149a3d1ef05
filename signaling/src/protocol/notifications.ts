import { z } from 'zod';
import { mediaKindSchema, rtpCapabilitiesSchema } from './media.ts';
import { gameNotificationSchemas } from './games/schemas.ts';
import { storytimeNotificationSchemas } from './storytime.ts';
import { callEntrySchema, lobbyGuestSchema, peerInfoSchema, producerInfoSchema } from './requests.ts';

// Server-to-client notifications: fire-and-forget events about the room.

export const notificationSchemas = {
  peerJoined: z.object({ peer: peerInfoSchema }),
  peerLeft: z.object({ peerId: z.string() }),
  producerAdded: z.object({ peerId: z.string(), producer: producerInfoSchema }),
  producerClosed: z.object({ peerId: z.string(), producerId: z.string() }),
  producerPaused: z.object({ peerId: z.string(), producerId: z.string(), paused: z.boolean() }),
  consumerClosed: z.object({ consumerId: z.string(), kind: mediaKindSchema }),
  /** The server ended this peer's place in the room (replaced by a newer tab, or room closed). */
  removed: z.object({
    reason: z.enum(['replaced', 'room-closed', 'server-shutdown', 'removed-by-host', 'session-ended', 'lobby-denied']),
  }),
  /** To hosts: who is waiting in the lobby now. */
  lobbyChanged: z.object({ waiting: z.array(lobbyGuestSchema) }),
  /**
   * To everyone waiting in the lobby: the first host came into the room, or the last one left
   * it (a host whose connection dropped still counts until their place is given up).
   */
  hostPresenceChanged: z.object({ present: z.boolean() }),
  /**
   * To a waiting person: a host let them in; what `joinRoom` would have given. `peerId` and
   * `resumeSecret` are the same as in the lobby's reply: the place to resume after a drop.
   */
  admitted: callEntrySchema,
  /** To a participant: a host muted them or stopped their camera. */
  moderated: z.object({ action: z.enum(['muted', 'video-stopped']) }),
  roomLocked: z.object({ locked: z.boolean() }),
  handChanged: z.object({ peerId: z.string(), raised: z.boolean() }),
  chatMessage: z.object({ peerId: z.string(), displayName: z.string(), text: z.string(), sentAt: z.number() }),
  /** A participant's signaling dropped; their tile stays while they may come back. */
  peerConnectionState: z.object({ peerId: z.string(), state: z.enum(['reconnecting', 'connected']) }),
  /** Who is speaking now (the loudest for a while), or nobody. */
  activeSpeaker: z.object({ peerId: z.string().nullable() }),
  /** How well a participant's media reaches the server: 0 (nothing) to 10 (perfect). */
  connectionQuality: z.object({ peerId: z.string(), score: z.number().int().min(0).max(10) }),
  /**
   * The room's media moved to a new router (its worker died). Every transport, producer and
   * consumer is gone: build them again with these capabilities.
   */
  mediaReset: z.object({ routerRtpCapabilities: rtpCapabilitiesSchema }),
  ...storytimeNotificationSchemas,
  ...gameNotificationSchemas,
} as const;

export type NotificationName = keyof typeof notificationSchemas;
export type NotificationPayload<K extends NotificationName> = z.infer<(typeof notificationSchemas)[K]>;
