import { z } from 'zod';
import { manyLinesText, oneLineText } from '../textFields.ts';
import { endpoint, isoInstant } from './endpoint.ts';

/**
 * What a room is for. Storytime shares a book; a peer group has ground rules and a lobby; play
 * is for games; an open room is a meeting place made from the start page.
 */
export const ROOM_KINDS = ['storytime', 'peer-group', 'play', 'open'] as const;
export const roomKindSchema = z.enum(ROOM_KINDS);
export type RoomKind = z.infer<typeof roomKindSchema>;

/** The languages a room is held in and a book is written in. */
export const ROOM_LANGUAGES = ['fi', 'sv', 'en'] as const;
export const roomLanguageSchema = z.enum(ROOM_LANGUAGES);
export type RoomLanguage = z.infer<typeof roomLanguageSchema>;

/** A room's stored settings: what a coordinator chooses for it. */
export const roomSettingsSchema = z.object({
  name: oneLineText({ min: 1, max: 80 }),
  description: manyLinesText({ max: 500 }),
  kind: roomKindSchema,
  language: roomLanguageSchema,
  capacity: z.number().int().min(2).max(50),
  groundRules: manyLinesText({ max: 2000 }),
  lobbyEnabled: z.boolean(),
  /** Children take part: no private messages, no links in chat. */
  childrenPresent: z.boolean(),
  chatEnabled: z.boolean(),
});
export type RoomSettings = z.infer<typeof roomSettingsSchema>;

/**
 * The settings a live room follows (signaling's `Room`): the stored ones but the description and
 * language, which only pages show. Admissions fills them in from the database for each join.
 */
export const roomRulesSchema = roomSettingsSchema
  .pick({
    name: true,
    kind: true,
    groundRules: true,
    childrenPresent: true,
    chatEnabled: true,
    lobbyEnabled: true,
    capacity: true,
  })
  .extend({
    /** Made from the start page (no staff member made it): see `RoomInfo.madeFromStartPage`. */
    madeFromStartPage: z.boolean(),
  });
export type RoomRules = z.infer<typeof roomRulesSchema>;

const { shape } = roomSettingsSchema;
/** A new room: everything but the name, kind, language and capacity has a default. */
export const newRoomSchema = roomSettingsSchema.extend({
  description: shape.description.default(''),
  groundRules: shape.groundRules.default(''),
  lobbyEnabled: shape.lobbyEnabled.default(true),
  childrenPresent: shape.childrenPresent.default(false),
  chatEnabled: shape.chatEnabled.default(true),
});

/** A change to a room: any settings, and `archived` to put it away (or back). */
export const roomPatchSchema = roomSettingsSchema.partial().extend({ archived: z.boolean().optional() });

/** A room as staff manage it in the console (`createdBy`: the staff member who made it). */
export const managedRoomSchema = roomSettingsSchema.extend({
  id: z.string(),
  createdAt: isoInstant,
  createdBy: z.string().nullable(),
  archived: z.boolean(),
});
export type ManagedRoom = z.input<typeof managedRoomSchema>;

/** `?archived=true` lists archived ones too; any other value is as if absent. */
export const archivedQuery = z.object({ archived: z.literal('true').optional().catch(undefined) });

const managedRoomAnswer = z.object({ room: managedRoomSchema });

export const roomEndpoints = {
  /** Anyone, where TUPA_OPEN_ROOMS is on: a new open room and its page. */
  createOpenRoom: endpoint({
    method: 'POST',
    path: '/api/rooms',
    status: 201,
    response: z.object({ roomId: z.string(), path: z.string() }),
  }),
  /** Whether an open room's link still leads somewhere. */
  findOpenRoom: endpoint({
    method: 'GET',
    path: '/api/rooms/:roomId',
    status: 200,
    response: z.object({ roomId: z.string() }),
  }),
  /** Staff: the rooms (a host: those they host sessions in); `archived=true` lists archived ones too. */
  listRooms: endpoint({
    method: 'GET',
    path: '/api/admin/rooms',
    status: 200,
    query: archivedQuery,
    response: z.object({ rooms: z.array(managedRoomSchema) }),
  }),
  /** Coordinators: a new room. */
  createRoom: endpoint({ method: 'POST', path: '/api/admin/rooms', status: 201, body: newRoomSchema, response: managedRoomAnswer }),
  getRoom: endpoint({ method: 'GET', path: '/api/admin/rooms/:roomId', status: 200, response: managedRoomAnswer }),
  /** Coordinators: change settings, archive or restore. */
  updateRoom: endpoint({ method: 'PATCH', path: '/api/admin/rooms/:roomId', status: 200, body: roomPatchSchema, response: managedRoomAnswer }),
};
