import { DataTypes } from 'sequelize';
import type {
  CreationOptional,
  InferAttributes,
  InferCreationAttributes,
  Model,
  ModelStatic,
  Sequelize,
} from 'sequelize';

export type BookLanguage = 'fi' | 'sv' | 'en';
/** Shipped with Tupa (seeded at start) or uploaded by a coordinator. */
export type BookSource = 'shipped' | 'upload';

export interface BookModel extends Model<InferAttributes<BookModel>, InferCreationAttributes<BookModel>> {
  id: string;
  slug: string | null;
  title: string;
  author: string;
  illustrator: string;
  description: string;
  language: BookLanguage;
  ageMin: number;
  ageMax: number;
  licence: string;
  pageCount: number;
  /** Width divided by height of the pages. */
  aspectRatio: number;
  source: BookSource;
  createdBy: string | null;
  createdAt: CreationOptional<Date>;
  archivedAt: CreationOptional<Date | null>;
}

/** Defines the Book model on this Sequelize instance (see models/room.ts for why `define`). */
export function defineBookModel(sequelize: Sequelize): ModelStatic<BookModel> {
  return sequelize.define<BookModel>(
    'Book',
    {
      id: { type: DataTypes.UUID, primaryKey: true, allowNull: false },
      slug: { type: DataTypes.TEXT },
      title: { type: DataTypes.TEXT, allowNull: false },
      author: { type: DataTypes.TEXT, allowNull: false },
      illustrator: { type: DataTypes.TEXT, allowNull: false },
      description: { type: DataTypes.TEXT, allowNull: false },
      language: { type: DataTypes.TEXT, allowNull: false },
      ageMin: { type: DataTypes.INTEGER, allowNull: false, field: 'age_min' },
      ageMax: { type: DataTypes.INTEGER, allowNull: false, field: 'age_max' },
      licence: { type: DataTypes.TEXT, allowNull: false },
      pageCount: { type: DataTypes.INTEGER, allowNull: false, field: 'page_count' },
      aspectRatio: { type: DataTypes.REAL, allowNull: false, field: 'aspect_ratio' },
      source: { type: DataTypes.TEXT, allowNull: false },
      createdBy: { type: DataTypes.UUID, field: 'created_by' },
      createdAt: { type: DataTypes.DATE, field: 'created_at' },
      archivedAt: { type: DataTypes.DATE, field: 'archived_at' },
    },
    { tableName: 'books', timestamps: false },
  );
}
