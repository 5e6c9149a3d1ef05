import { QueryTypes } from 'sequelize';
import type { Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';
import type { Logger } from 'pino';
import { migrations } from './migrations/index.ts';
import type { MigrationContext } from './migrations/index.ts';

// Arbitrary but fixed: every Tupa process migrating the same database takes this advisory lock.
const MIGRATION_LOCK_KEY = 7_338_201_114;

/** An umzug migrator over the explicit migration list, recording applied names in schema_migrations. */
export function createMigrator(sequelize: Sequelize, logger: Logger): Umzug<MigrationContext> {
  const log = logger.child({ component: 'migrations' });
  return new Umzug<MigrationContext>({
    migrations,
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize, tableName: 'schema_migrations' }),
    logger: {
      info: (event) => log.info(event, 'migration'),
      warn: (event) => log.warn(event, 'migration'),
      error: (event) => log.error(event, 'migration'),
      debug: (event) => log.debug(event, 'migration'),
    },
  });
}

/** Applies every pending migration and returns the names applied (none when up to date). */
export async function migrate(sequelize: Sequelize, logger: Logger): Promise<string[]> {
  const migrator = createMigrator(sequelize, logger);
  // Several signaling nodes may start at once against one database; the transaction-scoped
  // advisory lock makes them take turns, and the later ones then find nothing pending.
  return sequelize.transaction(async (transaction) => {
    await sequelize.query('SELECT pg_advisory_xact_lock(:key)', {
      replacements: { key: MIGRATION_LOCK_KEY },
      type: QueryTypes.SELECT,
      transaction,
    });
    const applied = await migrator.up();
    return applied.map((migration) => migration.name);
  });
}
