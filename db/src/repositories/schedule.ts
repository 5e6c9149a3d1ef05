import { randomUUID } from 'node:crypto';
import { Op, type ModelStatic, type Sequelize } from 'sequelize';
import type { Recurrence, ScheduledSessionModel, SessionHostModel } from '../models/schedule.ts';

export type { Recurrence };

const WEEK_MS = 7 * 24 * 3600 * 1000;
/** Most occurrences one listing expands, so a long range cannot make a huge answer. */
const MAX_OCCURRENCES = 500;

export interface ScheduledSessionInput {
  roomId: string;
  title: string;
  startsAt: Date;
  durationMinutes: number;
  recurrence: Recurrence;
  repeatUntil: Date | null;
  hostIds: string[];
}

export interface ScheduledSessionRecord extends ScheduledSessionInput {
  id: string;
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
  /** Occurrences that overlap [from, to), weekly sessions expanded; optionally of one host or room. */
  occurrences(from: Date, to: Date, filter?: { hostId?: string; roomId?: string }): Promise<SessionOccurrence[]>;
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
  const toRecord = (row: ScheduledSessionModel, hostIds: string[]): ScheduledSessionRecord => ({
    id: row.id,
    roomId: row.roomId,
    title: row.title,
    startsAt: row.startsAt,
    durationMinutes: row.durationMinutes,
    recurrence: row.recurrence,
    repeatUntil: row.repeatUntil ?? null,
    hostIds: [...hostIds].sort(),
    createdBy: row.createdBy ?? null,
    createdAt: row.createdAt,
  });

  return {
    async create(input, createdBy) {
      return sequelize.transaction(async (transaction) => {
        const row = await sessions.create(
          {
            id: randomUUID(),
            roomId: input.roomId,
            title: input.title,
            startsAt: input.startsAt,
            durationMinutes: input.durationMinutes,
            recurrence: input.recurrence,
            repeatUntil: input.repeatUntil,
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
      const where: Record<string | symbol, unknown> = { startsAt: { [Op.lt]: to } };
      if (filter.roomId) where.roomId = filter.roomId;
      let rows = await sessions.findAll({ where, order: [['startsAt', 'ASC']] });
      const hostMap = await hostIdsOf(rows.map((r) => r.id));
      if (filter.hostId) rows = rows.filter((r) => hostMap.get(r.id)?.includes(filter.hostId as string));
      const result: SessionOccurrence[] = [];
      for (const row of rows) {
        const durationMs = row.durationMinutes * 60_000;
        const step = row.recurrence === 'weekly' ? WEEK_MS : Infinity;
        // The first occurrence that could still be running at `from`.
        const skip = step === Infinity ? 0 : Math.max(0, Math.ceil((from.getTime() - durationMs - row.startsAt.getTime()) / step));
        for (let k = skip; result.length < MAX_OCCURRENCES; k++) {
          const start = row.startsAt.getTime() + k * (step === Infinity ? 0 : step);
          if (start >= to.getTime() || (row.repeatUntil && start > row.repeatUntil.getTime())) break;
          if (start + durationMs > from.getTime()) {
            result.push({
              sessionId: row.id,
              roomId: row.roomId,
              title: row.title,
              startsAt: new Date(start),
              endsAt: new Date(start + durationMs),
              hostIds: [...(hostMap.get(row.id) ?? [])].sort(),
            });
          }
          if (step === Infinity) break;
        }
      }
      return result.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
    },
  };
}
