import type { ModelStatic } from 'sequelize';
import { newRandomId, RANDOM_ID_PATTERN } from '../ids.ts';
import type { RoomModel } from '../models/room.ts';

export interface RoomRecord {
  id: string;
  createdAt: Date;
}

export interface RoomRepository {
  /** Creates a room with a new 128-bit random id, base64url (22 chars: /^[A-Za-z0-9_-]{22}$/). */
  create(): Promise<RoomRecord>;
  /** The room with this id, or null when there is none. */
  findById(id: string): Promise<RoomRecord | null>;
}

/** Room persistence over the given model; takes and returns plain values only. */
export function createRoomRepository(rooms: ModelStatic<RoomModel>): RoomRepository {
  return {
    async create() {
      // `returning` so created_at comes back from the database default in the same round trip.
      const row = await rooms.create({ id: newRandomId() }, { returning: true });
      return toRecord(row);
    },

    async findById(id) {
      if (typeof id !== 'string') throw new TypeError('room id must be a string');
      // Ids arrive from links and typed codes; one that cannot exist needs no query.
      if (!RANDOM_ID_PATTERN.test(id)) return null;
      const row = await rooms.findByPk(id);
      return row === null ? null : toRecord(row);
    },
  };
}

function toRecord(row: RoomModel): RoomRecord {
  return { id: row.id, createdAt: row.createdAt };
}
