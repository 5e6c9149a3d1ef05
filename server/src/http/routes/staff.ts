import Router from '@koa/router';
import { DuplicateEmailError, type AuditLog, type StaffRepository } from '@tupa/db';
import { oneLineText } from '@tupa/signaling/protocol';
import { z } from 'zod';
import { hashPassword } from '../../auth/passwords.ts';
import { requireStaff, type StaffState } from '../../auth/staffSession.ts';
import { HttpError } from '../errors.ts';
import { parseBody } from '../parseBody.ts';
import { newPasswordSchema, publicStaff } from './auth.ts';

const createStaffSchema = z.object({
  email: z.string().trim().min(3).max(254).pipe(z.email()),
  displayName: oneLineText({ min: 1, max: 80 }),
  role: z.enum(['coordinator', 'host']),
  password: newPasswordSchema,
});

/** Staff accounts: coordinators list them and invite new hosts and coordinators. */
export function staffRouter(deps: { staff: StaffRepository; audit: AuditLog }): Router {
  const router = new Router({ prefix: '/staff' });
  router.use(requireStaff('coordinator'));

  router.get('/', async (ctx) => {
    ctx.body = { staff: (await deps.staff.list()).map((s) => ({ ...publicStaff(s), disabled: s.disabled })) };
  });

  router.post('/', async (ctx) => {
    const body = parseBody(createStaffSchema, ctx);
    try {
      const record = await deps.staff.create({
        email: body.email,
        displayName: body.displayName,
        role: body.role,
        passwordHash: await hashPassword(body.password),
      });
      const actor = (ctx.state as StaffState).staff?.record.id ?? null;
      await deps.audit.record(actor, 'staff.create', record.id);
      ctx.status = 201;
      ctx.body = { staff: publicStaff(record) };
    } catch (error) {
      if (error instanceof DuplicateEmailError) throw new HttpError('invalid-state', 'an account with this email exists');
      throw error;
    }
  });
  return router;
}
