import { DataTypes } from 'sequelize';
import type { MigrationFn } from 'umzug';
import type { MigrationContext } from './index.ts';

/** Creates `rooms(id text primary key, created_at timestamptz not null default now())`. */
export const up: MigrationFn<MigrationContext> = async ({ context: queryInterface }) => {
  await queryInterface.createTable('rooms', {
    id: { type: DataTypes.TEXT, primaryKey: true, allowNull: false },
    created_at: {
      type: DataTypes.DATE, // timestamptz in PostgreSQL
      allowNull: false,
      defaultValue: queryInterface.sequelize.fn('now'),
    },
  });
};

/** Drops the rooms table. */
export const down: MigrationFn<MigrationContext> = async ({ context: queryInterface }) => {
  await queryInterface.dropTable('rooms');
};
