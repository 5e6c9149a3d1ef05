import { z } from 'zod';
import {
  dtlsParametersSchema,
  mediaKindSchema,
  rtpCapabilitiesSchema,
  rtpParametersSchema,
} from './media.ts';
import { gameRequestSchemas, gameStateSchema } from './games/schemas.ts';
import { storytimeRequestSchemas, storytimeStateSchema } from './storytime.ts';
import { roomKindSchema } from './rest/rooms.ts';
import { manyLinesText, oneLineText } from './textFields.ts';

// Every client-to-server request: its payload schema and the schema of the data in its reply.
// The Socket.IO event maps, the server's handler table and the browser client are derived from
// this one table, so an event name or payload cannot drift between them.

/** Room ids are 128-bit random tokens in base64url: the link itself is the secret. */
export const roomIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'not a room id');
const objectId = z.string().min(1).max(64);

/**
 * What a person is called in the call: a first name or nickname in any script, with emoji if
 * they like, at most 40 characters as a person counts them. Shown to the others exactly as typed
 * (only trimmed); the characters allowed are those of text.ts.
 */
export const displayNameSchema = oneLineText({ min: 1, max: 40 });

export const mediaSourceSchema = z.enum(['camera', 'microphone']);
export type MediaSource = z.infer<typeof mediaSourceSchema>;

export const producerInfoSchema = z.object({
  producerId: z.string(),
  kind: mediaKindSchema,
  source: mediaSourceSchema,
  paused: z.boolean(),
});
export type ProducerInfo = z.infer<typeof producerInfoSchema>;

/** Hosts run the session; guests take part. Decided by the server, never by the client. */
export const roleSchema = z.enum(['host', 'guest']);
export type Role = z.infer<typeof roleSchema>;

export const peerInfoSchema = z.object({
  peerId: z.string(),
  displayName: z.string(),
  role: roleSchema,
  handRaised: z.boolean(),
  /** Their signaling dropped and they may come back (the tile stays). */
  reconnecting: z.boolean(),
  /** Their latest connection quality, 0-10, or null before the first measurement. */
  quality: z.number().int().min(0).max(10).nullable(),
  producers: z.array(producerInfoSchema),
});
export type PeerInfo = z.infer<typeof peerInfoSchema>;

const iceParametersSchema = z.object({
  usernameFragment: z.string(),
  password: z.string(),
  iceLite: z.boolean().optional(),
});
const iceCandidateSchema = z.object({
  foundation: z.string(),
  priority: z.number(),
  ip: z.string(),
  address: z.string().optional(),
  protocol: z.enum(['udp', 'tcp']),
  port: z.number(),
  type: z.enum(['host', 'srflx', 'prflx', 'relay']),
  tcpType: z.enum(['active', 'passive', 'so']).optional(),
});

/** DTLS parameters as the server describes its own side (no input limits needed). */
const serverDtlsParametersSchema = z.object({
  role: z.enum(['auto', 'client', 'server']).optional(),
  fingerprints: z.array(z.object({ algorithm: z.string(), value: z.string() })),
});

export const transportOptionsSchema = z.object({
  transportId: z.string(),
  iceParameters: iceParametersSchema,
  iceCandidates: z.array(iceCandidateSchema),
  dtlsParameters: serverDtlsParametersSchema,
});
export type TransportOptions = z.infer<typeof transportOptionsSchema>;

/** A STUN/TURN server for the browser's RTCPeerConnection, with time-limited credentials. */
export const iceServerSchema = z.object({
  urls: z.array(z.string()),
  username: z.string().optional(),
  credential: z.string().optional(),
});
export type IceServer = z.infer<typeof iceServerSchema>;

/** An invitation as the person holds it: the token from the link, or the code they typed. */
export const invitationCredentialSchema = z.union([
  z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'not an invitation token') }),
  z.object({ code: z.string().min(4).max(24) }),
]);
export type InvitationCredential = z.infer<typeof invitationCredentialSchema>;

/** What a participant may know about the room they are in. */
export const roomInfoSchema = z.object({
  name: z.string(),
  kind: roomKindSchema,
  groundRules: z.string(),
  childrenPresent: z.boolean(),
  chatEnabled: z.boolean(),
  locked: z.boolean(),
  /**
   * Made by someone from the start page: nobody on the staff runs it, so while nobody reads,
   * anyone in it may open a picture book (see protocol/permissions.ts). A room a coordinator
   * made is never one, whatever its kind.
   */
  madeFromStartPage: z.boolean(),
});
export type RoomInfo = z.infer<typeof roomInfoSchema>;

export const lobbyGuestSchema = z.object({ guestId: z.string(), displayName: z.string(), waitingSince: z.number() });
export type LobbyGuest = z.infer<typeof lobbyGuestSchema>;

/**
 * What a person gets the moment they are in the call, whichever way they came: a direct join or
 * a resume (`joinRoom` with `admission: 'in'`) or a host letting them in from the lobby
 * (`admitted`). One schema, so the browser enters the call one way.
 */
export const callEntrySchema = z.object({
  /** This tab's place: the same peer id and resume secret it waited with in the lobby, if it did. */
  peerId: z.string(),
  resumeSecret: z.string(),
  routerRtpCapabilities: rtpCapabilitiesSchema,
  iceServers: z.array(iceServerSchema),
  peers: z.array(peerInfoSchema),
  /** Who is speaking now, so a newcomer sees it before the next change. */
  activeSpeaker: z.string().nullable(),
  /** The shared book and page, so a late joiner lands where the others are. */
  storytime: storytimeStateSchema,
  /** The game being played (as this person may see it), or null, so a late joiner sees the board. */
  game: gameStateSchema.nullable(),
});
export type CallEntry = z.infer<typeof callEntrySchema>;

/** What every `joinRoom` answer says, in the call or in the lobby. */
const joinedRoomSchema = z.object({
  role: roleSchema,
  room: roomInfoSchema,
  /**
   * Whether a host is in the room now (one whose connection dropped a moment ago counts), so a
   * person in the lobby can be told whether anyone is there to let them in yet;
   * `hostPresenceChanged` follows while they wait.
   */
  hostPresent: z.boolean(),
});

/** The answer to `joinRoom`: a union on the admission outcome. */
export const joinReplySchema = z.discriminatedUnion('admission', [
  callEntrySchema.extend(joinedRoomSchema.shape).extend({
    admission: z.literal('in'),
    /** A resume with `keepMedia` whose media the server still had: nothing is rebuilt. */
    mediaKept: z.boolean(),
  }),
  joinedRoomSchema.extend({
    admission: z.literal('lobby'),
    peerId: z.string(),
    resumeSecret: z.string(),
  }),
]);
export type JoinReply = z.infer<typeof joinReplySchema>;

const peerTarget = z.object({ peerId: objectId });

export const requestSchemas = {
  /**
   * Enter a room. `resume` lets a reconnecting tab take the place of its own earlier peer; with
   * `keepMedia` (the tab still holds its transports) the server keeps that peer's media if it
   * still has it and says so in `mediaKept`; otherwise the tab starts its media afresh. A resume
   * of a lobby guest takes back their place in the queue (or in the call, if let in meanwhile).
   * A resume whose place is gone is refused (`not-found`, reason `place-gone`), never turned
   * into a fresh join: the tab decides what to tell the person.
   */
  joinRoom: {
    payload: z
      .object({
        /** An open room's id (from the start page), or a room a signed-in staff member runs. */
        roomId: roomIdSchema.optional(),
        invitation: invitationCredentialSchema.optional(),
        displayName: displayNameSchema,
        resume: z
          .object({ peerId: objectId, secret: z.string().min(1).max(64), keepMedia: z.boolean().optional() })
          .optional(),
      })
      .refine((p) => (p.roomId === undefined) !== (p.invitation === undefined), 'give either roomId or invitation'),
    /**
     * Either the person is in the call (`admission: 'in'`, with everything a call needs: the
     * same `CallEntry` a host's `admitted` brings) or waits in the lobby (`admission: 'lobby'`:
     * no peers, no TURN credentials and no media until `admitted`). `peerId` and `resumeSecret`
     * are this tab's place, in the lobby and later in the call alike.
     */
    reply: joinReplySchema,
  },
  /** Host: let someone (or everyone) in from the lobby. */
  admitFromLobby: {
    payload: z.object({ guestId: z.union([objectId, z.literal('all')]) }),
    reply: z.object({ admitted: z.number().int() }),
  },
  /** Host: turn someone (or everyone) away from the lobby. */
  denyFromLobby: {
    payload: z.object({ guestId: z.union([objectId, z.literal('all')]) }),
    reply: z.object({ denied: z.number().int() }),
  },
  /** Host: silence a participant's microphone (they may turn it on again themselves). */
  muteParticipant: { payload: peerTarget, reply: z.object({}) },
  /** Host: stop a participant's camera. */
  stopParticipantVideo: { payload: peerTarget, reply: z.object({}) },
  /** Host: remove a participant from the session. */
  removeParticipant: { payload: peerTarget, reply: z.object({}) },
  /** Host: lock or unlock the room; a locked room lets nobody new in. */
  setRoomLocked: { payload: z.object({ locked: z.boolean() }), reply: z.object({}) },
  /** Host: end the session for everyone. */
  endSession: { payload: z.object({}), reply: z.object({}) },
  /** Raise or lower one's own hand. */
  raiseHand: { payload: z.object({ raised: z.boolean() }), reply: z.object({}) },
  /** Host: lower someone's hand (after giving them the word). */
  lowerHand: { payload: peerTarget, reply: z.object({}) },
  /** A chat message to everyone in the room; never stored, and off in children's rooms. */
  sendChat: {
    payload: z.object({
      text: manyLinesText({ min: 1, max: 500 }),
    }),
    reply: z.object({}),
  },
  leaveRoom: {
    payload: z.object({}),
    reply: z.object({}),
  },
  createTransport: {
    payload: z.object({ direction: z.enum(['send', 'recv']) }),
    reply: transportOptionsSchema,
  },
  /** New ICE credentials for a transport whose connection stayed broken. */
  restartIce: {
    payload: z.object({ transportId: objectId }),
    reply: z.object({ iceParameters: iceParametersSchema }),
  },
  connectTransport: {
    payload: z.object({ transportId: objectId, dtlsParameters: dtlsParametersSchema }),
    reply: z.object({}),
  },
  produce: {
    payload: z.object({
      transportId: objectId,
      kind: mediaKindSchema,
      source: mediaSourceSchema,
      rtpParameters: rtpParametersSchema,
      paused: z.boolean().optional(),
    }),
    reply: z.object({ producerId: z.string() }),
  },
  closeProducer: {
    payload: z.object({ producerId: objectId }),
    reply: z.object({}),
  },
  setProducerPaused: {
    payload: z.object({ producerId: objectId, paused: z.boolean() }),
    reply: z.object({}),
  },
  consume: {
    payload: z.object({
      transportId: objectId,
      producerId: objectId,
      rtpCapabilities: rtpCapabilitiesSchema,
    }),
    reply: z.object({
      consumerId: z.string(),
      producerId: z.string(),
      peerId: z.string(),
      kind: mediaKindSchema,
      rtpParameters: rtpParametersSchema,
    }),
  },
  resumeConsumer: {
    payload: z.object({ consumerId: objectId }),
    reply: z.object({}),
  },
  /**
   * How a received video is shown: hidden tiles get no packets; the height in CSS pixels
   * (times devicePixelRatio) picks the simulcast layer.
   */
  setConsumerPreferences: {
    payload: z.object({
      consumerId: objectId,
      visible: z.boolean(),
      height: z.number().int().min(0).max(4320).optional(),
    }),
    reply: z.object({}),
  },
  /** Audio-only / data-saver: stop (or restart) receiving every video in the room. */
  setReceiveVideo: {
    payload: z.object({ enabled: z.boolean() }),
    reply: z.object({}),
  },
  ...storytimeRequestSchemas,
  ...gameRequestSchemas,
} as const;

export type RequestName = keyof typeof requestSchemas;
export type RequestPayload<K extends RequestName> = z.infer<(typeof requestSchemas)[K]['payload']>;
export type ReplyData<K extends RequestName> = z.infer<(typeof requestSchemas)[K]['reply']>;
export const REQUEST_NAMES = Object.keys(requestSchemas) as RequestName[];
