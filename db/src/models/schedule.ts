import { DataTypes } from 'sequelize';
import type { CreationOptional, InferAttributes, InferCreationAttributes, Model, ModelStatic, Sequelize } from 'sequelize';

export type Recurrence = 'none' | 'weekly';

export interface ScheduledSessionModel
  extends Model<InferAttributes<ScheduledSessionModel>, InferCreationAttributes<ScheduledSessionModel>> {
  id: string;
  roomId: string;
  title: string;
  /** The first meeting's start as reckoned when saved: narrows queries, never shown. */
  startsAt: Date;
  /** The first meeting's wall-clock start in `timeZone`, "2026-10-29T18:00:00": what counts. */
  localStart: string;
  /** IANA time zone of the session's wall-clock times, e.g. "Europe/Helsinki". */
  timeZone: string;
  durationMinutes: number;
  recurrence: Recurrence;
  /** Weekly: the last day ("2027-05-27", in `timeZone`) a meeting may fall on, inclusive. */
  repeatUntil: string | null;
  createdBy: string | null;
  createdAt: CreationOptional<Date>;
}

export interface SessionHostModel extends Model<InferAttributes<SessionHostModel>, InferCreationAttributes<SessionHostModel>> {
  sessionId: string;
  staffId: string;
}

export interface InvitationModel extends Model<InferAttributes<InvitationModel>, InferCreationAttributes<InvitationModel>> {
  id: string;
  roomId: string;
  sessionId: string | null;
  tokenHash: string;
  codeHash: string;
  role: 'guest' | 'host';
  simple: boolean;
  label: string;
  expiresAt: Date;
  revokedAt: CreationOptional<Date | null>;
  createdBy: string | null;
  createdAt: CreationOptional<Date>;
}

/** Defines scheduled sessions, their hosts and invitations on this Sequelize instance. */
export function defineScheduleModels(sequelize: Sequelize) {
  const sessions: ModelStatic<ScheduledSessionModel> = sequelize.define<ScheduledSessionModel>(
    'ScheduledSession',
    {
      id: { type: DataTypes.UUID, primaryKey: true },
      roomId: { type: DataTypes.TEXT, allowNull: false, field: 'room_id' },
      title: { type: DataTypes.TEXT, allowNull: false },
      startsAt: { type: DataTypes.DATE, allowNull: false, field: 'starts_at' },
      localStart: { type: DataTypes.TEXT, allowNull: false, field: 'local_start' },
      timeZone: { type: DataTypes.TEXT, allowNull: false, field: 'time_zone' },
      durationMinutes: { type: DataTypes.INTEGER, allowNull: false, field: 'duration_minutes' },
      recurrence: { type: DataTypes.TEXT, allowNull: false },
      repeatUntil: { type: DataTypes.DATEONLY, field: 'repeat_until' },
      createdBy: { type: DataTypes.UUID, field: 'created_by' },
      createdAt: { type: DataTypes.DATE, field: 'created_at' },
    },
    { tableName: 'scheduled_sessions', timestamps: false },
  );
  const hosts: ModelStatic<SessionHostModel> = sequelize.define<SessionHostModel>(
    'SessionHost',
    {
      sessionId: { type: DataTypes.UUID, primaryKey: true, field: 'session_id' },
      staffId: { type: DataTypes.UUID, primaryKey: true, field: 'staff_id' },
    },
    { tableName: 'session_hosts', timestamps: false },
  );
  const invitations: ModelStatic<InvitationModel> = sequelize.define<InvitationModel>(
    'Invitation',
    {
      id: { type: DataTypes.UUID, primaryKey: true },
      roomId: { type: DataTypes.TEXT, allowNull: false, field: 'room_id' },
      sessionId: { type: DataTypes.UUID, field: 'session_id' },
      tokenHash: { type: DataTypes.TEXT, allowNull: false, field: 'token_hash' },
      codeHash: { type: DataTypes.TEXT, allowNull: false, field: 'code_hash' },
      role: { type: DataTypes.TEXT, allowNull: false },
      simple: { type: DataTypes.BOOLEAN, allowNull: false },
      label: { type: DataTypes.TEXT, allowNull: false },
      expiresAt: { type: DataTypes.DATE, allowNull: false, field: 'expires_at' },
      revokedAt: { type: DataTypes.DATE, field: 'revoked_at' },
      createdBy: { type: DataTypes.UUID, field: 'created_by' },
      createdAt: { type: DataTypes.DATE, field: 'created_at' },
    },
    { tableName: 'invitations', timestamps: false },
  );
  return { sessions, hosts, invitations };
}
