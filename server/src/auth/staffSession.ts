import type { StaffRecord, StaffRole, StaffSessionRepository } from '@tupa/db';
import type { Context, Next } from 'koa';
import { STAFF_SESSION_COOKIE } from '@tupa/signaling/protocol';
import { HttpError } from '../http/errors.ts';

/** Staff sessions last a working day; logging in again makes a new one. */
export const SESSION_TTL_MS = 12 * 3600 * 1000;

export interface StaffState {
  staff?: { record: StaffRecord; csrfToken: string; sessionId: string };
}

/** Reads the session cookie, if any, into `ctx.state.staff`. */
export function loadStaffSession(sessions: StaffSessionRepository) {
  return async (ctx: Context, next: Next): Promise<void> => {
    const sessionId = ctx.cookies.get(STAFF_SESSION_COOKIE);
    if (sessionId && /^[A-Za-z0-9_-]{22}$/.test(sessionId)) {
      const found = await sessions.find(sessionId);
      if (found) (ctx.state as StaffState).staff = { record: found.staff, csrfToken: found.csrfToken, sessionId };
    }
    await next();
  };
}

/** Only signed-in staff; with a role, only that role (a coordinator may do everything a host may). */
export function requireStaff(role?: StaffRole) {
  return async (ctx: Context, next: Next): Promise<void> => {
    const staff = (ctx.state as StaffState).staff;
    if (!staff) throw new HttpError('unauthenticated', 'sign in first');
    if (role === 'coordinator' && staff.record.role !== 'coordinator') {
      throw new HttpError('forbidden', 'only coordinators may do this');
    }
    await next();
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/**
 * Changes that do not act with the session's authority, so a signed-in browser needs no token
 * for them: signing in (again) and the one-time setup, and what anyone may do from the start
 * page (make an open room, look up a typed code). The Origin check still applies to them.
 */
const TOKEN_FREE_PATHS = new Set(['/api/auth/login', '/api/auth/setup', '/api/rooms', '/api/invitations/by-code']);

/**
 * CSRF protection for cookie-authenticated changes: the request must carry the session's token
 * in `X-CSRF-Token` (a page of another site cannot read it), and a browser's Origin header, when
 * sent, must be this site.
 */
export function csrfProtection(publicOrigin: string) {
  return async (ctx: Context, next: Next): Promise<void> => {
    if (!SAFE_METHODS.has(ctx.method)) checkRequestOrigin(ctx, publicOrigin);
    await next();
  };
}

function checkRequestOrigin(ctx: Context, publicOrigin: string): void {
  const origin = ctx.get('Origin');
  // Built from protocol and host: Koa's own `ctx.origin` is not reliable for this.
  const ownOrigin = `${ctx.protocol}://${ctx.host}`;
  if (origin && origin !== ownOrigin && origin !== publicOrigin) {
    throw new HttpError('forbidden', 'cross-site request refused');
  }
  const staff = (ctx.state as StaffState).staff;
  if (staff && !TOKEN_FREE_PATHS.has(ctx.path) && ctx.get('X-CSRF-Token') !== staff.csrfToken) {
    throw new HttpError('forbidden', 'missing or wrong CSRF token');
  }
}

export function setSessionCookie(ctx: Context, sessionId: string, expires: Date): void {
  ctx.cookies.set(STAFF_SESSION_COOKIE, sessionId, {
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.secure,
    expires,
    path: '/',
    overwrite: true,
  });
}

export function clearSessionCookie(ctx: Context): void {
  ctx.cookies.set(STAFF_SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', secure: ctx.secure, expires: new Date(0), path: '/' });
}
