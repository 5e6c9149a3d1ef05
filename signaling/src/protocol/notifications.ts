import { z } from 'zod';
import { mediaKindSchema } from './media.ts';
import { peerInfoSchema, producerInfoSchema } from './requests.ts';

// Server-to-client notifications: fire-and-forget events about the room.

export const notificationSchemas = {
  peerJoined: z.object({ peer: peerInfoSchema }),
  peerLeft: z.object({ peerId: z.string() }),
  producerAdded: z.object({ peerId: z.string(), producer: producerInfoSchema }),
  producerClosed: z.object({ peerId: z.string(), producerId: z.string() }),
  producerPaused: z.object({ peerId: z.string(), producerId: z.string(), paused: z.boolean() }),
  consumerClosed: z.object({ consumerId: z.string(), kind: mediaKindSchema }),
  /** The server ended this peer's place in the room (replaced by a newer tab, or room closed). */
  removed: z.object({ reason: z.enum(['replaced', 'room-closed', 'server-shutdown']) }),
} as const;

export type NotificationName = keyof typeof notificationSchemas;
export type NotificationPayload<K extends NotificationName> = z.infer<(typeof notificationSchemas)[K]>;
