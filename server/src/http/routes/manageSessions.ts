import Router from '@koa/router';
import { localDateAt, normaliseLocalDate, normaliseWallClock, wallClockAt } from '@tupa/db';
import { inPlanningYears, PLANNING_YEARS_MESSAGE, restApi } from '@tupa/signaling/protocol';
import { requireStaff, type StaffState } from '../../auth/staffSession.ts';
import { HttpError } from '../errors.ts';
import { parseBody } from '../parseBody.ts';
import { respond, respondEmpty } from '../respond.ts';
import type { ManageDeps } from './manageRooms.ts';

/**
 * Scheduled sessions: coordinators plan them on the organisation's clock (`timeZone`, an IANA
 * name: TUPA_TIME_ZONE); hosts see the ones they run.
 */
export function manageSessionsRouter(deps: ManageDeps & { timeZone: string }): Router {
  const router = new Router({ prefix: '/admin/sessions' });
  router.use(requireStaff());

  router.get('/', async (ctx) => {
    const staff = (ctx.state as StaffState).staff!.record;
    const range = restApi.listOccurrences.query.safeParse(ctx.query);
    if (!range.success) throw new HttpError('validation', `from must be an ISO date-time ${PLANNING_YEARS_MESSAGE}; days 1 to 366`);
    const from = range.data.from ? new Date(range.data.from) : new Date();
    const to = new Date(from.getTime() + range.data.days * 24 * 3600_000);
    const occurrences = await deps.schedule.occurrences(
      from,
      to,
      staff.role === 'coordinator' ? {} : { hostId: staff.id },
    );
    respond(ctx, restApi.listOccurrences, { occurrences });
  });

  router.post('/', requireStaff('coordinator'), async (ctx) => {
    const { startsAt, repeatUntil: lastDay, ...input } = parseBody(restApi.createSession.body, ctx);
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
    respond(ctx, restApi.createSession, { session });
  });

  router.delete('/:sessionId', requireStaff('coordinator'), async (ctx) => {
    if (!(await deps.schedule.delete(ctx.params.sessionId ?? ''))) throw new HttpError('not-found', 'no such session');
    await deps.audit.record((ctx.state as StaffState).staff!.record.id, 'session.delete', ctx.params.sessionId ?? '');
    respondEmpty(ctx, restApi.deleteSession);
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
