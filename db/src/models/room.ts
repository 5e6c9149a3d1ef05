import { DataTypes } from 'sequelize';
import type {
  CreationOptional,
  InferAttributes,
  InferCreationAttributes,
  Model,
  ModelStatic,
  Sequelize,
} from 'sequelize';

export interface RoomModel extends Model<InferAttributes<RoomModel>, InferCreationAttributes<RoomModel>> {
  id: string;
  createdAt: CreationOptional<Date>;
}

/** Defines the Room model on this Sequelize instance. */
export function defineRoomModel(sequelize: Sequelize): ModelStatic<RoomModel> {
  // sequelize.define rather than `class Room extends Model` + init(): a class can be bound to only
  // one Sequelize instance, and tests and scale-out nodes open several databases in one process.
  return sequelize.define<RoomModel>(
    'Room',
    {
      id: { type: DataTypes.TEXT, primaryKey: true, allowNull: false },
      // Filled by the column default (the database clock), never by this process; allowNull stays
      // true here only so Sequelize's own validation does not reject an insert that leaves it out.
      createdAt: { type: DataTypes.DATE, field: 'created_at' },
    },
    { tableName: 'rooms', timestamps: false },
  );
}
