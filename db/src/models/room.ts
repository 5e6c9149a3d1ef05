import { DataTypes } from 'sequelize';
import type {
  CreationOptional,
  InferAttributes,
  InferCreationAttributes,
  Model,
  ModelStatic,
  Sequelize,
} from 'sequelize';

// The column types the rooms table holds (the kind also by a CHECK constraint). db imports no
// other Tupa package, so it cannot take them from the protocol; the server checks at compile time
// that these and the protocol's room kinds, languages and RoomSettings are the same
// (server/src/http/dbAgreesWithProtocol.ts).
export type RoomKind = 'storytime' | 'peer-group' | 'play' | 'open';
export type RoomLanguage = 'fi' | 'sv' | 'en';

export interface RoomModel extends Model<InferAttributes<RoomModel>, InferCreationAttributes<RoomModel>> {
  id: string;
  createdAt: CreationOptional<Date>;
  name: CreationOptional<string>;
  description: CreationOptional<string>;
  kind: CreationOptional<RoomKind>;
  language: CreationOptional<RoomLanguage>;
  capacity: CreationOptional<number>;
  groundRules: CreationOptional<string>;
  lobbyEnabled: CreationOptional<boolean>;
  childrenPresent: CreationOptional<boolean>;
  chatEnabled: CreationOptional<boolean>;
  createdBy: CreationOptional<string | null>;
  archivedAt: CreationOptional<Date | null>;
}

/** Defines the Room model on this Sequelize instance. */
export function defineRoomModel(sequelize: Sequelize): ModelStatic<RoomModel> {
  // sequelize.define rather than `class Room extends Model` + init(): a class can be bound to only
  // one Sequelize instance, and tests and scale-out nodes open several databases in one process.
  // Columns with database defaults allow null here only so Sequelize's own validation does not
  // reject an insert that leaves them to the database.
  return sequelize.define<RoomModel>(
    'Room',
    {
      id: { type: DataTypes.TEXT, primaryKey: true, allowNull: false },
      createdAt: { type: DataTypes.DATE, field: 'created_at' },
      name: { type: DataTypes.TEXT },
      description: { type: DataTypes.TEXT },
      kind: { type: DataTypes.TEXT },
      language: { type: DataTypes.TEXT },
      capacity: { type: DataTypes.INTEGER },
      groundRules: { type: DataTypes.TEXT, field: 'ground_rules' },
      lobbyEnabled: { type: DataTypes.BOOLEAN, field: 'lobby_enabled' },
      childrenPresent: { type: DataTypes.BOOLEAN, field: 'children_present' },
      chatEnabled: { type: DataTypes.BOOLEAN, field: 'chat_enabled' },
      createdBy: { type: DataTypes.UUID, field: 'created_by' },
      archivedAt: { type: DataTypes.DATE, field: 'archived_at' },
    },
    { tableName: 'rooms', timestamps: false },
  );
}
