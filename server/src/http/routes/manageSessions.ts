import Router from '@koa/router';
import { localDateAt, normaliseLocalDate, normaliseWallClock, wallClockAt } from '@tupa/db';
import { oneLineText } from '@tupa/signaling/protocol';
import { z } from 'zod';
import { requireStaff, type StaffState } from '../../auth/staffSession.ts';
import { HttpError } from '../errors.ts';
import { parseBody } from '../parseBody.ts';
import type { ManageDeps } from './manageRooms.ts';

/** A date and time as a clock on the wall shows it, without zone: "2026-10-29T18:00". */
const wallClockText = z.string().refine((s) => normaliseWallClock(s) !== null, 'must be a date and time such as 2026-10-29T18:00');
/** A calendar date: "2027-05-27". */
const localDateText = z.string().refine((s) => normaliseLocalDate(s) !== null, 'must be a date such as 2027-05-27');

/**
 * A session as the form sends it: `startsAt` is the first meeting's date and time on the
 * organisation's clock ("2026-10-29T18:00"), `repeatUntil` the date of the last meeting
 * ("2027-05-27", inclusive). An instant with an offset ("2026-10-29T16:00:00Z") is also taken,
 * and read on the organisation's clock (for `repeatUntil`: its date there).
 */
const sessionSchema = z.object({
  roomId: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
  title: oneLineText({ min: 1, max: 120 }),
  startsAt: z.union([wallClockText, z.iso.datetime({ offset: true })]),
  durationMinutes: z.number().int().min(5).max(8 * 60),
  recurrence: z.enum(['none', 'weekly']).default('none'),
  repeatUntil: z.union([localDateText, z.iso.datetime({ offset: true })]).nullable().default(null),
  hostIds: z.array(z.uuid()).max(10).default([]),
});

/** Sessions are planned in these years: before, a slip of the keyboard; after, more than PostgreSQL holds. */
const PLANNING_YEARS = { first: 2000, last: 2999 };
const PLANNING_YEARS_MESSAGE = `must be in the years ${PLANNING_YEARS.first} to ${PLANNING_YEARS.last}`;

/** True when a normalised wall-clock time or date ("2026-10-29T18:00", "2027-05-27") falls in PLANNING_YEARS. */
function inPlanningYears(text: string): boolean {
  const year = /^\d{4}-/.test(text) ? Number(text.slice(0, 4)) : Number.NaN;
  return year >= PLANNING_YEARS.first && year <= PLANNING_YEARS.last;
}

const rangeSchema = z.object({
  from: z.iso
    .datetime({ offset: true })
    .refine((s) => inPlanningYears(new Date(s).toISOString()), PLANNING_YEARS_MESSAGE)
    .optional(),
  days: z.coerce.number().int().min(1).max(366).default(28),
});

/**
 * Scheduled sessions: coordinators plan them on the organisation's clock (`timeZone`, an IANA
 * name: TUPA_TIME_ZONE); hosts see the ones they run.
 */
export function manageSessionsRouter(deps: ManageDeps & { timeZone: string }): Router {
  const router = new Router({ prefix: '/admin/sessions' });
  router.use(requireStaff());

  router.get('/', async (ctx) => {
    const staff = (ctx.state as StaffState).staff!.record;
    const range = rangeSchema.safeParse(ctx.query);
    if (!range.success) throw new HttpError('validation', `from must be an ISO date-time ${PLANNING_YEARS_MESSAGE}; days 1 to 366`);
    const from = range.data.from ? new Date(range.data.from) : new Date();
    const to = new Date(from.getTime() + range.data.days * 24 * 3600_000);
    const occurrences = await deps.schedule.occurrences(
      from,
      to,
      staff.role === 'coordinator' ? {} : { hostId: staff.id },
    );
    ctx.body = { occurrences };
  });

  router.post('/', requireStaff('coordinator'), async (ctx) => {
    const { startsAt, repeatUntil: lastDay, ...input } = parseBody(sessionSchema, ctx);
    const localStart = onOrganisationClock(startsAt, deps.timeZone);
    const repeatUntil = input.recurrence === 'weekly' && lastDay !== null ? dayOnOrganisationClock(lastDay, deps.timeZone) : null;
    // A year far off is a typing slip ("0026-…"), and an instant near the end of year 9999 lands
    // in year 10000 on the organisation's clock, past what PostgreSQL and a wall-clock text hold.
    if (!inPlanningYears(localStart)) throw new HttpError('validation', `startsAt: ${PLANNING_YEARS_MESSAGE}`);
    if (repeatUntil !== null && !inPlanningYears(repeatUntil)) throw new HttpError('validation', `repeatUntil: ${PLANNING_YEARS_MESSAGE}`);
    if (repeatUntil !== null && repeatUntil < localStart.slice(0, 10)) {
      throw new HttpError('validation', 'repeatUntil is before startsAt');
    }
    if (!(await deps.rooms.findById(input.roomId))) throw new HttpError('not-found', 'no such room');
    const staff = (ctx.state as StaffState).staff!.record;
    let session;
    try {
      session = await deps.schedule.create({ ...input, localStart, timeZone: deps.timeZone, repeatUntil }, staff.id);
    } catch (error) {
      if ((error as Error).name === 'SequelizeForeignKeyConstraintError') throw new HttpError('validation', 'unknown host');
      throw error;
    }
    await deps.audit.record(staff.id, 'session.create', session.id);
    ctx.status = 201;
    ctx.body = { session };
  });

  router.delete('/:sessionId', requireStaff('coordinator'), async (ctx) => {
    if (!(await deps.schedule.delete(ctx.params.sessionId ?? ''))) throw new HttpError('not-found', 'no such session');
    await deps.audit.record((ctx.state as StaffState).staff!.record.id, 'session.delete', ctx.params.sessionId ?? '');
    ctx.status = 204;
  });

  return router;
}

/** A wall-clock time as typed, normalised; an instant, as the organisation's clock shows it then. */
function onOrganisationClock(text: string, timeZone: string): string {
  return normaliseWallClock(text) ?? wallClockAt(new Date(text), timeZone);
}

/** A date as typed; an instant, as its date on the organisation's clock. */
function dayOnOrganisationClock(text: string, timeZone: string): string {
  return normaliseLocalDate(text) ?? localDateAt(new Date(text), timeZone);
}
