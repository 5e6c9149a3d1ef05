import { DataTypes } from 'sequelize';
import type { MigrationFn } from 'umzug';
import type { MigrationContext } from './index.ts';

/**
 * The book shelf: one row of metadata per picture book. The page images themselves are files
 * under the data directory (see "Book pages on disk" in docs/design.md), so this table stays small.
 * Shipped books carry a slug, unique per language, so seeding at start can tell what is there.
 */
export const up: MigrationFn<MigrationContext> = async ({ context: q }) => {
  const now = q.sequelize.fn('now');
  await q.createTable('books', {
    id: { type: DataTypes.UUID, primaryKey: true, allowNull: false },
    slug: { type: DataTypes.TEXT, allowNull: true },
    title: { type: DataTypes.TEXT, allowNull: false },
    author: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
    illustrator: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
    description: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
    language: { type: DataTypes.TEXT, allowNull: false },
    age_min: { type: DataTypes.INTEGER, allowNull: false },
    age_max: { type: DataTypes.INTEGER, allowNull: false },
    licence: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
    page_count: { type: DataTypes.INTEGER, allowNull: false },
    aspect_ratio: { type: DataTypes.REAL, allowNull: false },
    source: { type: DataTypes.TEXT, allowNull: false },
    created_by: { type: DataTypes.UUID, allowNull: true },
    created_at: { type: DataTypes.DATE, allowNull: false, defaultValue: now },
    archived_at: { type: DataTypes.DATE, allowNull: true },
  });
  await q.sequelize.query(`
    ALTER TABLE books
      ADD CONSTRAINT books_language_check CHECK (language IN ('fi', 'sv', 'en')),
      ADD CONSTRAINT books_source_check CHECK (source IN ('shipped', 'upload')),
      ADD CONSTRAINT books_ages_check CHECK (age_min >= 0 AND age_max >= age_min),
      ADD CONSTRAINT books_pages_check CHECK (page_count > 0),
      ADD CONSTRAINT books_aspect_check CHECK (aspect_ratio > 0)`);
  // NULL slugs (uploads) never collide with each other in a unique index.
  await q.addIndex('books', ['slug', 'language'], { unique: true, name: 'books_slug_language_unique' });
  await q.addIndex('books', ['language']);
};

export const down: MigrationFn<MigrationContext> = async ({ context: q }) => {
  await q.dropTable('books');
};
