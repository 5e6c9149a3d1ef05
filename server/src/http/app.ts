import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type {
  AuditLog,
  InvitationRepository,
  RoomRepository,
  ScheduleRepository,
  StaffRepository,
  StaffSessionRepository,
} from '@tupa/db';
import Koa from 'koa';
import type { Registry } from 'prom-client';
import type { Logger } from 'pino';
import { errorMiddleware, HttpError } from './errors.ts';
import { healthRouter, type Readiness } from './routes/health.ts';
import { roomsRouter } from './routes/rooms.ts';
import { authRouter } from './routes/auth.ts';
import { staffRouter } from './routes/staff.ts';
import { manageRoomsRouter } from './routes/manageRooms.ts';
import { manageSessionsRouter } from './routes/manageSessions.ts';
import { invitationsRouter } from './routes/invitations.ts';
import { booksRouter, manageBooksRouter } from './routes/books.ts';
import type { BookShelf } from '../books/shelf.ts';
import { csrfProtection, loadStaffSession } from '../auth/staffSession.ts';
import { apiHeaders, securityHeaders } from './securityHeaders.ts';
import { forbiddenTextGuard } from './textGuard.ts';
import { withSiteSettings, type NodeHandler } from './webHandler.ts';
import type { CodeGuessingGuard } from '../codeGuessingGuard.ts';

export interface AppDeps {
  logger: Logger;
  rooms: RoomRepository;
  staff: StaffRepository;
  staffSessions: StaffSessionRepository;
  audit: AuditLog;
  schedule: ScheduleRepository;
  invitations: InvitationRepository;
  shelf: BookShelf;
  publicUrl: string;
  /** The origin people use (from PUBLIC_URL), accepted as a request Origin behind a proxy. */
  publicOrigin: string;
  readiness: () => Readiness;
  metrics: Registry;
  webHandler: NodeHandler;
  trustProxy: boolean;
  /** Shared with joins by code, so one person's tries are counted once whichever way they come. */
  codeGuard: CodeGuessingGuard;
  /** Anyone may create an open room from the start page (TUPA_OPEN_ROOMS). */
  openRooms: boolean;
  /** The organisation's time zone (TUPA_TIME_ZONE): sessions are planned and shown on its clock. */
  timeZone: string;
}

/** The Koa app: `/api/*`, health endpoints, and the SvelteKit app for every page. */
export function createApp(deps: AppDeps): Koa {
  // Behind the proxy, only the last X-Forwarded-For entry is the proxy's own word (the address
  // it saw); entries before it are whatever the client sent, and would let anyone pick their
  // address for every rate limit.
  const app = new Koa({ proxy: deps.trustProxy, maxIpsCount: 1 });
  app.silent = true; // errors are logged once, by the error middleware
  app.use(errorMiddleware(deps.logger));
  app.use(securityHeaders);

  const api = new Router({ prefix: '/api' });
  api.use(apiHeaders);
  api.use(bodyParser({ enableTypes: ['json'], jsonLimit: '16kb' }));
  // Before sessions, schemas and the database: no text field may hold a control character.
  api.use(forbiddenTextGuard);
  api.use(loadStaffSession(deps.staffSessions));
  api.use(csrfProtection(deps.publicOrigin));
  for (const router of [
    roomsRouter(deps.rooms, { openRooms: deps.openRooms }),
    authRouter({ staff: deps.staff, sessions: deps.staffSessions, audit: deps.audit }),
    staffRouter({ staff: deps.staff, audit: deps.audit }),
    manageRoomsRouter(deps),
    manageSessionsRouter(deps),
    invitationsRouter(deps),
    booksRouter(deps),
    manageBooksRouter(deps),
  ]) {
    api.use(router.routes(), router.allowedMethods({ throw: false }));
  }
  app.use(api.routes());

  const health = healthRouter(deps.readiness, deps.metrics);
  const web = withSiteSettings(deps.webHandler, { openRooms: deps.openRooms, timeZone: deps.timeZone });
  app.use(health.routes());

  app.use(async (ctx) => {
    if (ctx.path === '/api' || ctx.path.startsWith('/api/')) {
      ctx.set('Content-Security-Policy', "default-src 'none'");
      throw new HttpError('not-found', 'no such endpoint');
    }
    // SvelteKit writes the response itself.
    ctx.respond = false;
    web(ctx.req, ctx.res);
  });
  return app;
}
