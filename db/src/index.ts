export { openDatabase, DEFAULT_EMBEDDED_PORT } from './database.ts';
export type { Database, DatabaseOptions } from './database.ts';
export { startEmbeddedPostgres } from './embedded.ts';
export type { EmbeddedPostgresOptions, EmbeddedPostgresServer } from './embedded.ts';
export type { RoomRecord, RoomRepository } from './repositories/rooms.ts';
export { DuplicateEmailError, normaliseEmail } from './repositories/staff.ts';
export type {
  AuditLog,
  StaffRecord,
  StaffRepository,
  StaffRole,
  StaffSessionRepository,
} from './repositories/staff.ts';
