import { DataTypes } from 'sequelize';
import type {
  CreationOptional,
  InferAttributes,
  InferCreationAttributes,
  Model,
  ModelStatic,
  Sequelize,
} from 'sequelize';

export type StaffRole = 'coordinator' | 'host';

export interface StaffUserModel extends Model<InferAttributes<StaffUserModel>, InferCreationAttributes<StaffUserModel>> {
  id: string;
  email: string;
  displayName: string;
  role: StaffRole;
  passwordHash: string;
  createdAt: CreationOptional<Date>;
  disabledAt: CreationOptional<Date | null>;
}

export interface StaffSessionModel
  extends Model<InferAttributes<StaffSessionModel>, InferCreationAttributes<StaffSessionModel>> {
  idHash: string;
  userId: string;
  csrfToken: string;
  createdAt: CreationOptional<Date>;
  expiresAt: Date;
}

export interface AuditEntryModel extends Model<InferAttributes<AuditEntryModel>, InferCreationAttributes<AuditEntryModel>> {
  id: CreationOptional<number>;
  actorId: string | null;
  action: string;
  target: string | null;
  createdAt: CreationOptional<Date>;
}

/** Defines the staff models on this Sequelize instance (see models/room.ts for why `define`). */
export function defineStaffModels(sequelize: Sequelize) {
  const users: ModelStatic<StaffUserModel> = sequelize.define<StaffUserModel>(
    'StaffUser',
    {
      id: { type: DataTypes.UUID, primaryKey: true },
      email: { type: DataTypes.TEXT, allowNull: false },
      displayName: { type: DataTypes.TEXT, allowNull: false, field: 'display_name' },
      role: { type: DataTypes.TEXT, allowNull: false },
      passwordHash: { type: DataTypes.TEXT, allowNull: false, field: 'password_hash' },
      createdAt: { type: DataTypes.DATE, field: 'created_at' },
      disabledAt: { type: DataTypes.DATE, field: 'disabled_at' },
    },
    { tableName: 'staff_users', timestamps: false },
  );
  const sessions: ModelStatic<StaffSessionModel> = sequelize.define<StaffSessionModel>(
    'StaffSession',
    {
      idHash: { type: DataTypes.TEXT, primaryKey: true, field: 'id_hash' },
      userId: { type: DataTypes.UUID, allowNull: false, field: 'user_id' },
      csrfToken: { type: DataTypes.TEXT, allowNull: false, field: 'csrf_token' },
      createdAt: { type: DataTypes.DATE, field: 'created_at' },
      expiresAt: { type: DataTypes.DATE, allowNull: false, field: 'expires_at' },
    },
    { tableName: 'staff_sessions', timestamps: false },
  );
  const audit: ModelStatic<AuditEntryModel> = sequelize.define<AuditEntryModel>(
    'AuditEntry',
    {
      id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      actorId: { type: DataTypes.UUID, field: 'actor_id' },
      action: { type: DataTypes.TEXT, allowNull: false },
      target: { type: DataTypes.TEXT },
      createdAt: { type: DataTypes.DATE, field: 'created_at' },
    },
    { tableName: 'audit_log', timestamps: false },
  );
  return { users, sessions, audit };
}
