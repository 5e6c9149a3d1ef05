import type { Logger } from 'pino';
import type { Sequelize } from 'sequelize';
import { createSequelize } from './connection.ts';
import { startEmbeddedPostgres } from './embedded.ts';
import type { EmbeddedPostgresServer } from './embedded.ts';
import { startHealthMonitor } from './health.ts';
import { migrate } from './migrator.ts';
import { defineRoomModel } from './models/room.ts';
import { createRoomRepository } from './repositories/rooms.ts';
import type { RoomRepository } from './repositories/rooms.ts';
import { defineStaffModels } from './models/staff.ts';
import { defineScheduleModels } from './models/schedule.ts';
import { createScheduleRepository, type ScheduleRepository } from './repositories/schedule.ts';
import { createInvitationRepository, type InvitationRepository } from './repositories/invitations.ts';
import { defineBookModel } from './models/book.ts';
import { createBookRepository, type BookRepository } from './repositories/books.ts';
import {
  createAuditLog,
  createStaffRepository,
  createStaffSessionRepository,
  type AuditLog,
  type StaffRepository,
  type StaffSessionRepository,
} from './repositories/staff.ts';

export const DEFAULT_EMBEDDED_PORT = 54329;

export interface DatabaseOptions {
  /** External server (DATABASE_URL); when absent an embedded PostgreSQL is started in dataDir. */
  url?: string;
  /** Embedded data directory, e.g. ./.tupa-data/postgres */
  dataDir: string;
  /** Port for the embedded server; default 54329. */
  embeddedPort?: number;
  logger: Logger;
}

export interface Database {
  readonly sequelize: Sequelize;
  readonly rooms: RoomRepository;
  readonly staff: StaffRepository;
  readonly staffSessions: StaffSessionRepository;
  readonly audit: AuditLog;
  readonly schedule: ScheduleRepository;
  readonly invitations: InvitationRepository;
  readonly books: BookRepository;
  /** True while the last health probe (SELECT 1, every few seconds, and on demand) succeeded. */
  isAvailable(): boolean;
  /** Runs a probe now and returns its result. */
  probe(): Promise<boolean>;
  /** Closes the pool; stops the embedded server if this process started it (cleanly, no orphan postgres processes). */
  close(): Promise<void>;
}

/** Connects to PostgreSQL (starting the embedded server when no url is given) and applies pending migrations. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const logger = options.logger.child({ component: 'db' });
  let embedded: EmbeddedPostgresServer | undefined;
  let url = options.url;
  if (url === undefined) {
    embedded = await startEmbeddedPostgres({
      dataDir: options.dataDir,
      port: options.embeddedPort ?? DEFAULT_EMBEDDED_PORT,
      logger: options.logger,
    });
    url = embedded.url;
  }

  const sequelize = createSequelize(url, options.logger);
  try {
    const applied = await migrate(sequelize, options.logger);
    if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
  } catch (error) {
    await sequelize.close().catch((closeError: unknown) => {
      logger.warn({ err: closeError }, 'closing the pool after a failed migration failed');
    });
    await embedded?.stop();
    throw error;
  }

  const rooms = createRoomRepository(defineRoomModel(sequelize));
  const staffModels = defineStaffModels(sequelize);
  const scheduleModels = defineScheduleModels(sequelize);
  const health = startHealthMonitor({ sequelize, logger });
  let closing: Promise<void> | undefined;

  return {
    sequelize,
    rooms,
    staff: createStaffRepository(staffModels.users),
    staffSessions: createStaffSessionRepository(staffModels.sessions, staffModels.users),
    audit: createAuditLog(staffModels.audit),
    schedule: createScheduleRepository(sequelize, scheduleModels.sessions, scheduleModels.hosts),
    invitations: createInvitationRepository(scheduleModels.invitations),
    books: createBookRepository(sequelize, defineBookModel(sequelize)),
    isAvailable: () => health.isAvailable(),
    probe: () => health.probe(),
    close: () =>
      (closing ??= (async () => {
        health.stop();
        try {
          await sequelize.close();
        } finally {
          await embedded?.stop();
        }
      })()),
  };
}
