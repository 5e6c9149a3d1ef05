import { DataTypes } from 'sequelize';
import type { MigrationFn } from 'umzug';
import type { MigrationContext } from './index.ts';

/**
 * Staff accounts (coordinators and volunteer hosts), their login sessions, and the audit log
 * of staff actions. Session ids are stored only as SHA-256 hashes, so a copy of the database
 * gives no way into anyone's session.
 */
export const up: MigrationFn<MigrationContext> = async ({ context: queryInterface }) => {
  const now = queryInterface.sequelize.fn('now');
  await queryInterface.createTable('staff_users', {
    id: { type: DataTypes.UUID, primaryKey: true, allowNull: false },
    email: { type: DataTypes.TEXT, allowNull: false, unique: true },
    display_name: { type: DataTypes.TEXT, allowNull: false },
    role: { type: DataTypes.TEXT, allowNull: false },
    password_hash: { type: DataTypes.TEXT, allowNull: false },
    created_at: { type: DataTypes.DATE, allowNull: false, defaultValue: now },
    disabled_at: { type: DataTypes.DATE, allowNull: true },
  });
  await queryInterface.sequelize.query(
    "ALTER TABLE staff_users ADD CONSTRAINT staff_users_role_check CHECK (role IN ('coordinator', 'host'))",
  );
  await queryInterface.createTable('staff_sessions', {
    id_hash: { type: DataTypes.TEXT, primaryKey: true, allowNull: false },
    user_id: {
      type: DataTypes.UUID,
      allowNull: false,
      references: { model: 'staff_users', key: 'id' },
      onDelete: 'CASCADE',
    },
    csrf_token: { type: DataTypes.TEXT, allowNull: false },
    created_at: { type: DataTypes.DATE, allowNull: false, defaultValue: now },
    expires_at: { type: DataTypes.DATE, allowNull: false },
  });
  await queryInterface.addIndex('staff_sessions', ['user_id']);
  await queryInterface.createTable('audit_log', {
    id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
    actor_id: { type: DataTypes.UUID, allowNull: true },
    action: { type: DataTypes.TEXT, allowNull: false },
    target: { type: DataTypes.TEXT, allowNull: true },
    created_at: { type: DataTypes.DATE, allowNull: false, defaultValue: now },
  });
};

export const down: MigrationFn<MigrationContext> = async ({ context: queryInterface }) => {
  await queryInterface.dropTable('audit_log');
  await queryInterface.dropTable('staff_sessions');
  await queryInterface.dropTable('staff_users');
};
