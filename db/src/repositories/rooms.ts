import type { ModelStatic } from 'sequelize';
import { newRandomId, RANDOM_ID_PATTERN } from '../ids.ts';
import type { RoomKind, RoomLanguage, RoomModel } from '../models/room.ts';

export type { RoomKind, RoomLanguage };

/** What a coordinator chooses for a room. */
export interface RoomSettings {
  name: string;
  description: string;
  kind: RoomKind;
  language: RoomLanguage;
  capacity: number;
  groundRules: string;
  lobbyEnabled: boolean;
  /** Children take part: no private messages, no links in chat. */
  childrenPresent: boolean;
  chatEnabled: boolean;
}

export interface RoomRecord extends RoomSettings {
  id: string;
  createdAt: Date;
  createdBy: string | null;
  archived: boolean;
}

export interface RoomRepository {
  /** Creates a room with a new 128-bit random id, base64url (22 chars), default settings unless given. */
  create(settings?: Partial<RoomSettings>, createdBy?: string): Promise<RoomRecord>;
  /** The room with this id, or null when there is none. */
  findById(id: string): Promise<RoomRecord | null>;
  /** Changes some settings; null when there is no such room. */
  update(id: string, patch: Partial<RoomSettings> & { archived?: boolean }): Promise<RoomRecord | null>;
  /** Rooms made by staff (named), newest first. */
  list(options?: { includeArchived?: boolean }): Promise<RoomRecord[]>;
}

/** Room persistence over the given model; takes and returns plain values only. */
export function createRoomRepository(rooms: ModelStatic<RoomModel>): RoomRepository {
  return {
    async create(settings = {}, createdBy) {
      // `returning` so the defaults come back from the database in the same round trip.
      const row = await rooms.create({ id: newRandomId(), ...settings, createdBy: createdBy ?? null }, { returning: true });
      return toRecord(row);
    },

    async findById(id) {
      if (typeof id !== 'string') throw new TypeError('room id must be a string');
      // Ids arrive from links and typed codes; one that cannot exist needs no query.
      if (!RANDOM_ID_PATTERN.test(id)) return null;
      const row = await rooms.findByPk(id);
      return row === null ? null : toRecord(row);
    },

    async update(id, patch) {
      if (!RANDOM_ID_PATTERN.test(id)) return null;
      const row = await rooms.findByPk(id);
      if (!row) return null;
      const { archived, ...settings } = patch;
      row.set(settings);
      if (archived !== undefined) row.archivedAt = archived ? new Date() : null;
      await row.save();
      return toRecord(row);
    },

    async list(options = {}) {
      const rows = await rooms.findAll({ order: [['createdAt', 'DESC']] });
      return rows
        .map(toRecord)
        .filter((room) => room.createdBy !== null && (options.includeArchived || !room.archived));
    },
  };
}

function toRecord(row: RoomModel): RoomRecord {
  return {
    id: row.id,
    createdAt: row.createdAt,
    name: row.name,
    description: row.description,
    kind: row.kind,
    language: row.language,
    capacity: row.capacity,
    groundRules: row.groundRules,
    lobbyEnabled: row.lobbyEnabled,
    childrenPresent: row.childrenPresent,
    chatEnabled: row.chatEnabled,
    createdBy: row.createdBy ?? null,
    archived: row.archivedAt !== null && row.archivedAt !== undefined,
  };
}
