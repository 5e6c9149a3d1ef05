import { randomUUID } from 'node:crypto';
import { UniqueConstraintError, type ModelStatic, type Sequelize, type WhereOptions } from 'sequelize';
import type { BookLanguage, BookModel, BookSource } from '../models/book.ts';

export type { BookLanguage, BookSource };

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What a coordinator may change about a book after it is on the shelf. */
export interface BookMetadata {
  title: string;
  author: string;
  illustrator: string;
  description: string;
  language: BookLanguage;
  ageMin: number;
  ageMax: number;
  licence: string;
}

export interface BookInput extends BookMetadata {
  /** Chosen by the caller when page files are named after it before the row exists; random otherwise. */
  id?: string;
  /** Only shipped books have one; unique per language. */
  slug?: string | null;
  pageCount: number;
  aspectRatio: number;
  source: BookSource;
  createdBy?: string | null;
}

export interface BookRecord extends BookMetadata {
  id: string;
  slug: string | null;
  pageCount: number;
  aspectRatio: number;
  source: BookSource;
  createdBy: string | null;
  createdAt: Date;
  archived: boolean;
}

/** A shipped book with this slug and language is already on the shelf. */
export class DuplicateBookError extends Error {
  override name = 'DuplicateBookError';
}

export interface BookRepository {
  /**
   * Inserts a book in a transaction. `beforeCommit` runs inside it (e.g. moving the page files
   * into place); if it throws, nothing is inserted. Throws DuplicateBookError for a taken
   * (slug, language).
   */
  create(input: BookInput, options?: { beforeCommit?: (book: BookRecord) => Promise<void> }): Promise<BookRecord>;
  /** The book with this id, archived ones included; null when there is none or the id cannot be one. */
  findById(id: string): Promise<BookRecord | null>;
  /** The shipped book with this slug in this language, archived or not. */
  findBySlug(slug: string, language: BookLanguage): Promise<BookRecord | null>;
  /** Books by title; archived ones only when asked. */
  list(options?: { language?: BookLanguage; includeArchived?: boolean }): Promise<BookRecord[]>;
  /** Changes metadata or archives; null when there is no such book; DuplicateBookError for a taken (slug, language). */
  update(id: string, patch: Partial<BookMetadata> & { archived?: boolean }): Promise<BookRecord | null>;
}

/** Book persistence over the given model; takes and returns plain values only. */
export function createBookRepository(sequelize: Sequelize, books: ModelStatic<BookModel>): BookRepository {
  return {
    async create(input, options = {}) {
      try {
        return await sequelize.transaction(async (transaction) => {
          const row = await books.create(
            {
              id: input.id ?? randomUUID(),
              slug: input.slug ?? null,
              title: input.title,
              author: input.author,
              illustrator: input.illustrator,
              description: input.description,
              language: input.language,
              ageMin: input.ageMin,
              ageMax: input.ageMax,
              licence: input.licence,
              pageCount: input.pageCount,
              aspectRatio: input.aspectRatio,
              source: input.source,
              createdBy: input.createdBy ?? null,
            },
            { transaction, returning: true },
          );
          const record = toRecord(row);
          await options.beforeCommit?.(record);
          return record;
        });
      } catch (error) {
        if (error instanceof UniqueConstraintError) throw new DuplicateBookError('this book is already on the shelf');
        throw error;
      }
    },

    async findById(id) {
      if (typeof id !== 'string') throw new TypeError('book id must be a string');
      if (!UUID_PATTERN.test(id)) return null;
      const row = await books.findByPk(id);
      return row ? toRecord(row) : null;
    },

    async findBySlug(slug, language) {
      const row = await books.findOne({ where: { slug, language } });
      return row ? toRecord(row) : null;
    },

    async list(options = {}) {
      const where: WhereOptions<BookModel> = {
        ...(options.language ? { language: options.language } : {}),
        ...(options.includeArchived ? {} : { archivedAt: null }),
      };
      const rows = await books.findAll({ where, order: [['title', 'ASC'], ['createdAt', 'ASC']] });
      return rows.map(toRecord);
    },

    async update(id, patch) {
      if (!UUID_PATTERN.test(id)) return null;
      const row = await books.findByPk(id);
      if (!row) return null;
      const { archived, ...metadata } = patch;
      row.set(metadata);
      if (archived !== undefined) row.archivedAt = archived ? (row.archivedAt ?? new Date()) : null;
      try {
        await row.save();
      } catch (error) {
        // A shipped book moved to a language in which the same story is already on the shelf.
        if (error instanceof UniqueConstraintError) throw new DuplicateBookError('this book is already on the shelf');
        throw error;
      }
      return toRecord(row);
    },
  };
}

function toRecord(row: BookModel): BookRecord {
  return {
    id: row.id,
    slug: row.slug ?? null,
    title: row.title,
    author: row.author,
    illustrator: row.illustrator,
    description: row.description,
    language: row.language,
    ageMin: row.ageMin,
    ageMax: row.ageMax,
    licence: row.licence,
    pageCount: row.pageCount,
    // Stored as a 4-byte float; six decimals are what it really holds (4/3, not 1.3333333730697632).
    aspectRatio: Math.round(row.aspectRatio * 1e6) / 1e6,
    source: row.source,
    createdBy: row.createdBy ?? null,
    createdAt: row.createdAt,
    archived: row.archivedAt !== null && row.archivedAt !== undefined,
  };
}
