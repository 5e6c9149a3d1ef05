import Router from '@koa/router';
import { z } from 'zod';
import { requireStaff, type StaffState } from '../../auth/staffSession.ts';
import { HttpError } from '../errors.ts';
import { parseBody } from '../parseBody.ts';
import type { ManageDeps } from './manageRooms.ts';

const sessionSchema = z
  .object({
    roomId: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
    title: z.string().trim().min(1).max(120),
    startsAt: z.iso.datetime({ offset: true }).transform((s) => new Date(s)),
    durationMinutes: z.number().int().min(5).max(8 * 60),
    recurrence: z.enum(['none', 'weekly']).default('none'),
    repeatUntil: z.iso.datetime({ offset: true }).transform((s) => new Date(s)).nullable().default(null),
    hostIds: z.array(z.uuid()).max(10).default([]),
  })
  .refine((s) => !s.repeatUntil || s.repeatUntil >= s.startsAt, { message: 'repeatUntil is before startsAt', path: ['repeatUntil'] });

const rangeSchema = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  days: z.coerce.number().int().min(1).max(366).default(28),
});

/** Scheduled sessions: coordinators plan them; hosts see the ones they run. */
export function manageSessionsRouter(deps: ManageDeps): Router {
  const router = new Router({ prefix: '/admin/sessions' });
  router.use(requireStaff());

  router.get('/', async (ctx) => {
    const staff = (ctx.state as StaffState).staff!.record;
    const range = rangeSchema.safeParse(ctx.query);
    if (!range.success) throw new HttpError('validation', 'from must be an ISO date-time; days 1 to 366');
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
    const input = parseBody(sessionSchema, ctx);
    if (!(await deps.rooms.findById(input.roomId))) throw new HttpError('not-found', 'no such room');
    const staff = (ctx.state as StaffState).staff!.record;
    let session;
    try {
      session = await deps.schedule.create(input, staff.id);
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
