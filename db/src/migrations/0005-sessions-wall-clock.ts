import { DataTypes } from 'sequelize';
import type { MigrationFn } from 'umzug';
import type { MigrationContext } from './index.ts';

/**
 * The zone every session planned before this change was typed in: the session form read its
 * date and time as Helsinki time, whatever the computer's own zone.
 */
const ZONE_OF_EARLIER_SESSIONS = 'Europe/Helsinki';

/**
 * Scheduled sessions keep the time the coordinator meant: the first meeting's wall-clock start
 * (`local_start`, "2026-10-29T18:00:00") and the time zone it is in (`time_zone`), and for a weekly
 * session the date of its last meeting (`repeat_until` becomes a date in that zone). Meetings are
 * expanded from these with a recurrence library, so Thursday 18.00 stays 18.00 after the clocks
 * change. `starts_at` stays as the first start reckoned when saved, to narrow queries.
 *
 * Existing sessions keep meaning what was typed: their start read on Helsinki's clock, their last
 * day the Helsinki date of the old `repeat_until` instant (the form sent 23.59 of that day).
 */
export const up: MigrationFn<MigrationContext> = async ({ context: q }) => {
  await q.addColumn('scheduled_sessions', 'local_start', { type: DataTypes.TEXT, allowNull: true });
  await q.addColumn('scheduled_sessions', 'time_zone', { type: DataTypes.TEXT, allowNull: true });
  await q.sequelize.query(
    `UPDATE scheduled_sessions
        SET time_zone = :zone,
            starts_at = date_trunc('second', starts_at),
            local_start = to_char(starts_at AT TIME ZONE :zone, 'YYYY-MM-DD"T"HH24:MI:SS'),
            repeat_until = CASE WHEN recurrence = 'weekly' THEN repeat_until END`,
    { replacements: { zone: ZONE_OF_EARLIER_SESSIONS } },
  );
  await q.sequelize.query(
    `ALTER TABLE scheduled_sessions
       ALTER COLUMN local_start SET NOT NULL,
       ALTER COLUMN time_zone SET NOT NULL,
       ALTER COLUMN repeat_until TYPE date USING (repeat_until AT TIME ZONE '${ZONE_OF_EARLIER_SESSIONS}')::date,
       ADD CONSTRAINT scheduled_sessions_local_start_check
         CHECK (local_start ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$'),
       ADD CONSTRAINT scheduled_sessions_repeat_until_check
         CHECK (repeat_until IS NULL OR (recurrence = 'weekly' AND repeat_until >= left(local_start, 10)::date))`,
  );
};

export const down: MigrationFn<MigrationContext> = async ({ context: q }) => {
  // Back to an instant: the end of the last day in the session's zone, as the form used to send.
  await q.sequelize.query(
    `ALTER TABLE scheduled_sessions
       DROP CONSTRAINT scheduled_sessions_repeat_until_check,
       DROP CONSTRAINT scheduled_sessions_local_start_check,
       ALTER COLUMN repeat_until TYPE timestamptz USING ((repeat_until + time '23:59') AT TIME ZONE time_zone)`,
  );
  await q.removeColumn('scheduled_sessions', 'time_zone');
  await q.removeColumn('scheduled_sessions', 'local_start');
};
