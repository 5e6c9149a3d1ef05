export { openDatabase, DEFAULT_EMBEDDED_PORT } from './database.ts';
export type { Database, DatabaseOptions } from './database.ts';
export { startEmbeddedPostgres } from './embedded.ts';
export type { EmbeddedPostgresOptions, EmbeddedPostgresServer } from './embedded.ts';
export type { RoomKind, RoomRecord, RoomRepository, RoomSettings } from './repositories/rooms.ts';
export { DuplicateEmailError, normaliseEmail } from './repositories/staff.ts';
export type {
  AuditLog,
  StaffRecord,
  StaffRepository,
  StaffRole,
  StaffSessionRepository,
} from './repositories/staff.ts';
export type {
  OccurrenceFilter,
  Recurrence,
  ScheduledSessionInput,
  ScheduledSessionRecord,
  ScheduleRepository,
  SessionOccurrence,
} from './repositories/schedule.ts';
export type { InvitationRecord, InvitationRepository, InvitationRole } from './repositories/invitations.ts';
export { DuplicateBookError } from './repositories/books.ts';
export type { BookInput, BookLanguage, BookMetadata, BookRecord, BookRepository, BookSource } from './repositories/books.ts';
export { newJoinCode, normaliseJoinCode } from './ids.ts';
export {
  instantOfWallClock,
  isTimeZone,
  localDateAt,
  normaliseLocalDate,
  normaliseWallClock,
  wallClockAt,
} from './wallClock.ts';
