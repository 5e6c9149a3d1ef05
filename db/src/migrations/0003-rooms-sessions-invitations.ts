import { DataTypes } from 'sequelize';
import type { MigrationFn } from 'umzug';
import type { MigrationContext } from './index.ts';

/**
 * Rooms get what coordinators set up (kind, language, capacity, ground rules, lobby and
 * children's-room settings); scheduled sessions with their hosts; invitations. Invitation
 * tokens and codes are stored only as SHA-256 hashes: a copy of the database opens no room.
 */
export const up: MigrationFn<MigrationContext> = async ({ context: q }) => {
  const now = q.sequelize.fn('now');
  const column = (type: DataTypes.DataType, defaultValue: unknown) => ({ type, allowNull: false, defaultValue });
  await q.addColumn('rooms', 'name', column(DataTypes.TEXT, ''));
  await q.addColumn('rooms', 'description', column(DataTypes.TEXT, ''));
  await q.addColumn('rooms', 'kind', column(DataTypes.TEXT, 'open'));
  await q.addColumn('rooms', 'language', column(DataTypes.TEXT, 'fi'));
  await q.addColumn('rooms', 'capacity', column(DataTypes.INTEGER, 12));
  await q.addColumn('rooms', 'ground_rules', column(DataTypes.TEXT, ''));
  await q.addColumn('rooms', 'lobby_enabled', column(DataTypes.BOOLEAN, true));
  await q.addColumn('rooms', 'children_present', column(DataTypes.BOOLEAN, false));
  await q.addColumn('rooms', 'chat_enabled', column(DataTypes.BOOLEAN, true));
  await q.addColumn('rooms', 'created_by', { type: DataTypes.UUID, allowNull: true });
  await q.addColumn('rooms', 'archived_at', { type: DataTypes.DATE, allowNull: true });
  await q.sequelize.query(
    "ALTER TABLE rooms ADD CONSTRAINT rooms_kind_check CHECK (kind IN ('storytime', 'peer-group', 'play', 'open'))",
  );

  await q.createTable('scheduled_sessions', {
    id: { type: DataTypes.UUID, primaryKey: true, allowNull: false },
    room_id: { type: DataTypes.TEXT, allowNull: false, references: { model: 'rooms', key: 'id' }, onDelete: 'CASCADE' },
    title: { type: DataTypes.TEXT, allowNull: false },
    starts_at: { type: DataTypes.DATE, allowNull: false },
    duration_minutes: { type: DataTypes.INTEGER, allowNull: false },
    recurrence: { type: DataTypes.TEXT, allowNull: false, defaultValue: 'none' },
    repeat_until: { type: DataTypes.DATE, allowNull: true },
    created_by: { type: DataTypes.UUID, allowNull: true },
    created_at: { type: DataTypes.DATE, allowNull: false, defaultValue: now },
  });
  await q.sequelize.query(
    "ALTER TABLE scheduled_sessions ADD CONSTRAINT scheduled_sessions_recurrence_check CHECK (recurrence IN ('none', 'weekly'))",
  );
  await q.addIndex('scheduled_sessions', ['room_id']);
  await q.addIndex('scheduled_sessions', ['starts_at']);
  await q.createTable('session_hosts', {
    session_id: {
      type: DataTypes.UUID,
      primaryKey: true,
      references: { model: 'scheduled_sessions', key: 'id' },
      onDelete: 'CASCADE',
    },
    staff_id: { type: DataTypes.UUID, primaryKey: true, references: { model: 'staff_users', key: 'id' }, onDelete: 'CASCADE' },
  });

  await q.createTable('invitations', {
    id: { type: DataTypes.UUID, primaryKey: true, allowNull: false },
    room_id: { type: DataTypes.TEXT, allowNull: false, references: { model: 'rooms', key: 'id' }, onDelete: 'CASCADE' },
    session_id: {
      type: DataTypes.UUID,
      allowNull: true,
      references: { model: 'scheduled_sessions', key: 'id' },
      onDelete: 'CASCADE',
    },
    token_hash: { type: DataTypes.TEXT, allowNull: false, unique: true },
    code_hash: { type: DataTypes.TEXT, allowNull: false, unique: true },
    role: { type: DataTypes.TEXT, allowNull: false },
    simple: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    label: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
    expires_at: { type: DataTypes.DATE, allowNull: false },
    revoked_at: { type: DataTypes.DATE, allowNull: true },
    created_by: { type: DataTypes.UUID, allowNull: true },
    created_at: { type: DataTypes.DATE, allowNull: false, defaultValue: now },
  });
  await q.sequelize.query("ALTER TABLE invitations ADD CONSTRAINT invitations_role_check CHECK (role IN ('guest', 'host'))");
  await q.addIndex('invitations', ['room_id']);
};

export const down: MigrationFn<MigrationContext> = async ({ context: q }) => {
  await q.dropTable('invitations');
  await q.dropTable('session_hosts');
  await q.dropTable('scheduled_sessions');
  await q.sequelize.query('ALTER TABLE rooms DROP CONSTRAINT rooms_kind_check');
  for (const column of [
    'name', 'description', 'kind', 'language', 'capacity', 'ground_rules', 'lobby_enabled',
    'children_present', 'chat_enabled', 'created_by', 'archived_at',
  ]) {
    await q.removeColumn('rooms', column);
  }
};
