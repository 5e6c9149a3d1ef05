import type { QueryInterface } from 'sequelize';
import type { RunnableMigration } from 'umzug';
import * as rooms from './0001-rooms.ts';
import * as staff from './0002-staff.ts';
import * as roomsSessionsInvitations from './0003-rooms-sessions-invitations.ts';
import * as books from './0004-books.ts';
import * as sessionsWallClock from './0005-sessions-wall-clock.ts';

export type MigrationContext = QueryInterface;

/**
 * Every migration, in the order it runs.
 *
 * Listed by hand rather than globbed so they load from TypeScript source the same way under tsx,
 * vitest and any bundler. To change the schema, add `NNNN-what-it-does.ts` exporting `up` and
 * `down`, and append it here. The name is the key recorded in `schema_migrations`: never rename,
 * reorder or edit a migration that has been released; write a new one instead.
 */
export const migrations: RunnableMigration<MigrationContext>[] = [
  { name: '0001-rooms', ...rooms },
  { name: '0002-staff', ...staff },
  { name: '0003-rooms-sessions-invitations', ...roomsSessionsInvitations },
  { name: '0004-books', ...books },
  { name: '0005-sessions-wall-clock', ...sessionsWallClock },
];
