import Router from '@koa/router';
import { normaliseEmail, type AuditLog, type StaffRecord, type StaffRepository, type StaffSessionRepository } from '@tupa/db';
import { FixedWindowCounter } from '@tupa/signaling';
import { restApi, type StaffMember } from '@tupa/signaling/protocol';
import type { Context } from 'koa';
import { DUMMY_HASH_PROMISE, hashPassword, verifyPassword } from '../../auth/passwords.ts';
import {
  clearSessionCookie,
  SESSION_TTL_MS,
  setSessionCookie,
  type StaffState,
} from '../../auth/staffSession.ts';
import { HttpError } from '../errors.ts';
import { parseBody } from '../parseBody.ts';
import { respond, respondEmpty } from '../respond.ts';

export interface AuthDeps {
  staff: StaffRepository;
  sessions: StaffSessionRepository;
  audit: AuditLog;
}

/** What the browser learns about a staff member (the protocol's StaffMember). */
export function publicStaff(record: StaffRecord): StaffMember {
  return { id: record.id, email: record.email, displayName: record.displayName, role: record.role };
}

/** Sign in, sign out, who am I, and the one-time setup of the first coordinator. */
export function authRouter(deps: AuthDeps): Router {
  const router = new Router({ prefix: '/auth' });
  // Per address and per account, so neither many accounts from one place nor one account from
  // many places can be guessed at speed.
  const perAddress = new FixedWindowCounter(30, 10 * 60_000);
  const perAccount = new FixedWindowCounter(10, 15 * 60_000);

  const startSession = async (ctx: Context, record: StaffRecord) => {
    // A new session id at every login, and the old one (if this browser had one) is gone.
    const previous = (ctx.state as StaffState).staff;
    if (previous) await deps.sessions.delete(previous.sessionId);
    const session = await deps.sessions.create(record.id, SESSION_TTL_MS);
    setSessionCookie(ctx, session.id, session.expiresAt);
    return { staff: publicStaff(record), csrfToken: session.csrfToken };
  };

  router.post('/login', async (ctx) => {
    const body = parseBody(restApi.login.body, ctx);
    if (!perAddress.hit(ctx.ip) || !perAccount.hit(normaliseEmail(body.email))) {
      throw new HttpError('rate-limited', 'too many sign-in attempts, wait a few minutes');
    }
    const found = await deps.staff.findForLogin(body.email);
    const ok = await verifyPassword(body.password, found?.passwordHash ?? (await DUMMY_HASH_PROMISE));
    if (!found || !ok) throw new HttpError('unauthenticated', 'wrong email or password');
    respond(ctx, restApi.login, await startSession(ctx, found.staff));
    await deps.audit.record(found.staff.id, 'login');
  });

  router.post('/logout', async (ctx) => {
    const staff = (ctx.state as StaffState).staff;
    if (staff) {
      await deps.sessions.delete(staff.sessionId);
      await deps.audit.record(staff.record.id, 'logout');
    }
    clearSessionCookie(ctx);
    respondEmpty(ctx, restApi.logout);
  });

  router.get('/me', (ctx) => {
    const staff = (ctx.state as StaffState).staff;
    if (!staff) throw new HttpError('unauthenticated', 'not signed in');
    respond(ctx, restApi.me, { staff: publicStaff(staff.record), csrfToken: staff.csrfToken });
  });

  /** Whether the one-time setup is still open (no account exists yet). */
  router.get('/setup', async (ctx) => {
    respond(ctx, restApi.setupStatus, { open: (await deps.staff.count()) === 0 });
  });

  let settingUp = false;
  router.post('/setup', async (ctx) => {
    const body = parseBody(restApi.setup.body, ctx);
    if (settingUp || (await deps.staff.count()) > 0) throw new HttpError('forbidden', 'setup is already done');
    settingUp = true;
    try {
      if ((await deps.staff.count()) > 0) throw new HttpError('forbidden', 'setup is already done');
      const record = await deps.staff.create({
        email: body.email,
        displayName: body.displayName,
        role: 'coordinator',
        passwordHash: await hashPassword(body.password),
      });
      await deps.audit.record(record.id, 'setup.first-coordinator', record.id);
      respond(ctx, restApi.setup, await startSession(ctx, record));
    } finally {
      settingUp = false;
    }
  });

  return router;
}
