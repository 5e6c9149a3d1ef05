import { randomUUID } from 'node:crypto';
import { Op, type ModelStatic, type Sequelize, type WhereOptions } from 'sequelize';
import type { Recurrence, ScheduledSessionModel, SessionHostModel } from '../models/schedule.ts';
import { isTimeZone, normaliseLocalDate, normaliseWallClock } from '../wallClock.ts';
import { firstMeetingStart, lastMeetingEnd, meetingStarts, type SessionTimes } from './meetingTimes.ts';

export type { Recurrence };

/** Most occurrences one listing expands, so a long range cannot make a huge answer. */
const MAX_OCCURRENCES = 500;
/**
 * Slack around the stored first start when narrowing queries: more than any change a zone's
 * rules could make to it after it was saved (the wall-clock start and the zone are what count).
 */
const QUERY_SLACK_MS = 2 * 24 * 3600_000;

/**
 * A session as a coordinator plans it: times are wall-clock times in `timeZone` (the
 * organisation's), so a weekly session stays at the same hour across the clock changes.
 */
export interface ScheduledSessionInput {
  roomId: string;
  title: string;
  /** The first meeting's wall-clock start in `timeZone`: "2026-10-29T18:00" (seconds optional). */
  localStart: string;
  /** IANA time zone, e.g. "Europe/Helsinki". */
  timeZone: string;
  durationMinutes: number;
  recurrence: Recurrence;
  /** Weekly only: the date of the last meeting in `timeZone` ("2027-05-27"), inclusive; null: no end. */
  repeatUntil: string | null;
  hostIds: string[];
}

export interface ScheduledSessionRecord extends ScheduledSessionInput {
  id: string;
  /** When the first meeting starts. */
  startsAt: Date;
  /** When the last meeting ends; null for a weekly session without a last day. */
  lastMeetingEndsAt: Date | null;
  createdBy: string | null;
  createdAt: Date;
}

/** One meeting of a session: a one-off session has one, a weekly one has one each week. */
export interface SessionOccurrence {
  sessionId: string;
  roomId: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  hostIds: string[];
}

export interface ScheduleRepository {
  create(input: ScheduledSessionInput, createdBy: string | null): Promise<ScheduledSessionRecord>;
  findById(id: string): Promise<ScheduledSessionRecord | null>;
  delete(id: string): Promise<boolean>;
  /**
   * Meetings that overlap [from, to), earliest first, weekly sessions expanded in their own zone,
   * at most 500; optionally only of one host, room or session.
   */
  occurrences(from: Date, to: Date, filter?: OccurrenceFilter): Promise<SessionOccurrence[]>;
}

/** Which sessions' meetings a listing holds: all when empty, else only those matching every field given. */
export interface OccurrenceFilter {
  hostId?: string;
  roomId?: string;
  sessionId?: string;
}

/**
 * Checks and normalises what a session's times are made of. Throws TypeError for a time that is
 * not a real wall-clock time, an unknown zone, or a last day before the first meeting.
 */
function checkedTimes(input: ScheduledSessionInput): SessionTimes {
  const localStart = normaliseWallClock(input.localStart);
  if (!localStart) throw new TypeError('localStart must be a wall-clock time such as 2026-10-29T18:00');
  if (!isTimeZone(input.timeZone)) throw new TypeError('timeZone must be a time zone such as Europe/Helsinki');
  if (!Number.isInteger(input.durationMinutes) || input.durationMinutes <= 0) throw new TypeError('durationMinutes must be positive');
  let repeatUntil: string | null = null;
  if (input.recurrence === 'weekly' && input.repeatUntil !== null) {
    repeatUntil = normaliseLocalDate(input.repeatUntil);
    if (!repeatUntil) throw new TypeError('repeatUntil must be a date such as 2027-05-27');
    if (repeatUntil < localStart.slice(0, 10)) throw new TypeError('repeatUntil is before the first meeting');
  }
  return { localStart, timeZone: input.timeZone, durationMinutes: input.durationMinutes, recurrence: input.recurrence, repeatUntil };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createScheduleRepository(
  sequelize: Sequelize,
  sessions: ModelStatic<ScheduledSessionModel>,
  hosts: ModelStatic<SessionHostModel>,
): ScheduleRepository {
  const hostIdsOf = async (sessionIds: string[]) => {
    const rows = sessionIds.length ? await hosts.findAll({ where: { sessionId: sessionIds } }) : [];
    const map = new Map<string, string[]>();
    for (const row of rows) map.set(row.sessionId, [...(map.get(row.sessionId) ?? []), row.staffId]);
    return map;
  };
  const timesOf = (row: ScheduledSessionModel): SessionTimes => ({
    localStart: row.localStart,
    timeZone: row.timeZone,
    durationMinutes: row.durationMinutes,
    recurrence: row.recurrence,
    repeatUntil: row.repeatUntil ?? null,
  });
  const toRecord = (row: ScheduledSessionModel, hostIds: string[]): ScheduledSessionRecord => {
    const times = timesOf(row);
    return {
      id: row.id,
      roomId: row.roomId,
      title: row.title,
      ...times,
      startsAt: firstMeetingStart(times),
      lastMeetingEndsAt: lastMeetingEnd(times),
      hostIds: [...hostIds].sort(),
      createdBy: row.createdBy ?? null,
      createdAt: row.createdAt,
    };
  };

  return {
    async create(input, createdBy) {
      const times = checkedTimes(input);
      return sequelize.transaction(async (transaction) => {
        const row = await sessions.create(
          {
            id: randomUUID(),
            roomId: input.roomId,
            title: input.title,
            ...times,
            startsAt: firstMeetingStart(times),
            createdBy,
          },
          { transaction, returning: true },
        );
        const hostIds = [...new Set(input.hostIds)];
        await hosts.bulkCreate(hostIds.map((staffId) => ({ sessionId: row.id, staffId })), { transaction });
        return toRecord(row, hostIds);
      });
    },

    async findById(id) {
      if (!UUID.test(id)) return null;
      const row = await sessions.findByPk(id);
      if (!row) return null;
      return toRecord(row, (await hostIdsOf([id])).get(id) ?? []);
    },

    async delete(id) {
      if (!UUID.test(id)) return false;
      return (await sessions.destroy({ where: { id } })) > 0;
    },

    async occurrences(from, to, filter = {}) {
      if (filter.sessionId !== undefined && !UUID.test(filter.sessionId)) return [];
      const slack = (at: Date, sign: 1 | -1) => new Date(at.getTime() + sign * QUERY_SLACK_MS);
      const where: WhereOptions<ScheduledSessionModel> = {
        startsAt: { [Op.lt]: slack(to, 1) },
        // Sessions whose meetings may still reach `from`: weekly ones without an end or ending
        // on a day near or after it, one-off ones that start near or after it.
        [Op.or]: [
          { recurrence: 'weekly', repeatUntil: null },
          { recurrence: 'weekly', repeatUntil: { [Op.gte]: slack(from, -1).toISOString().slice(0, 10) } },
          sequelize.where(sequelize.literal("starts_at + duration_minutes * interval '1 minute'"), Op.gt, slack(from, -1)),
        ],
        ...(filter.roomId ? { roomId: filter.roomId } : {}),
        ...(filter.sessionId ? { id: filter.sessionId } : {}),
      };
      let rows = await sessions.findAll({ where });
      const hostMap = await hostIdsOf(rows.map((r) => r.id));
      if (filter.hostId) rows = rows.filter((r) => hostMap.get(r.id)?.includes(filter.hostId as string));
      const result: SessionOccurrence[] = [];
      for (const row of rows) {
        const durationMs = row.durationMinutes * 60_000;
        for (const start of meetingStarts(timesOf(row), from, to, MAX_OCCURRENCES)) {
          result.push({
            sessionId: row.id,
            roomId: row.roomId,
            title: row.title,
            startsAt: start,
            endsAt: new Date(start.getTime() + durationMs),
            hostIds: [...(hostMap.get(row.id) ?? [])].sort(),
          });
        }
      }
      return result.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime()).slice(0, MAX_OCCURRENCES);
    },
  };
}
