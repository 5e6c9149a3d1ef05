import Router from '@koa/router';
import type { AuditLog, StaffRepository } from '@tupa/db';
import { restApi } from '@tupa/signaling/protocol';
import { hashPassword } from '../../auth/passwords.ts';
import { requireStaff, type StaffState } from '../../auth/staffSession.ts';
import { parseBody } from '../parseBody.ts';
import { respond } from '../respond.ts';
import { publicStaff } from './auth.ts';

/** Staff accounts: coordinators list them and invite new hosts and coordinators. */
export function staffRouter(deps: { staff: StaffRepository; audit: AuditLog }): Router {
  const router = new Router({ prefix: '/staff' });
  router.use(requireStaff('coordinator'));

  router.get('/', async (ctx) => {
    respond(ctx, restApi.listStaff, { staff: (await deps.staff.list()).map((s) => ({ ...publicStaff(s), disabled: s.disabled })) });
  });

  router.post('/', async (ctx) => {
    const body = parseBody(restApi.createStaff.body, ctx);
    // An email another account has throws DuplicateEmailError: 409 by the error middleware.
    const record = await deps.staff.create({
      email: body.email,
      displayName: body.displayName,
      role: body.role,
      passwordHash: await hashPassword(body.password),
    });
    const actor = (ctx.state as StaffState).staff?.record.id ?? null;
    await deps.audit.record(actor, 'staff.create', record.id);
    respond(ctx, restApi.createStaff, { staff: publicStaff(record) });
  });
  return router;
}
