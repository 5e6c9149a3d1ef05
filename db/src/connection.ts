import pg from 'pg';
import { Sequelize } from 'sequelize';
import type { Logger } from 'pino';

/** Pool limits: a handful of connections is plenty for rooms, invites and counts. */
const POOL = {
  max: 10,
  min: 0,
  idle: 10_000,
  // Fail a query after 10 s of waiting for a connection instead of Sequelize's default minute.
  acquire: 10_000,
  evict: 1_000,
} as const;

/** A Sequelize instance for url whose pg clients can lose their server without crashing the process. */
export function createSequelize(url: string, logger: Logger): Sequelize {
  return new Sequelize(url, {
    dialect: 'postgres',
    dialectModule: errorSafePg(logger.child({ component: 'db' })),
    // SQL text carries values inlined as literals (names, e-mail addresses later): never log it.
    logging: false,
    pool: { ...POOL },
    dialectOptions: {
      application_name: 'tupa',
      keepAlive: true,
      connectionTimeoutMillis: 5_000,
    },
  });
}

/**
 * The pg module as Sequelize sees it, with a Client that always has an 'error' listener.
 *
 * Sequelize 6 attaches its own listener (which marks the connection invalid and destroys it) only
 * after the handshake and a microtask later; an error in that gap, e.g. the server shutting down
 * while a connection is being opened, would be an 'error' event without a listener, which Node
 * turns into an uncaught exception. Sequelize only uses `Client` and `types` from the module.
 */
function errorSafePg(logger: Logger): { Client: typeof pg.Client; types: typeof pg.types } {
  class ErrorSafeClient extends pg.Client {
    constructor(config?: string | pg.ClientConfig) {
      super(config);
      this.on('error', (error: Error & { code?: string }) => {
        // Expected during restarts and already reported once by the health probe, hence debug.
        logger.debug({ code: error.code, reason: error.message }, 'database connection lost');
      });
    }
  }
  return { Client: ErrorSafeClient, types: pg.types };
}
