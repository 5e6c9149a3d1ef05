import Router from '@koa/router';
import type { AuditLog, InvitationRepository, RoomRecord, RoomRepository, ScheduleRepository } from '@tupa/db';
import { z } from 'zod';
import { requireStaff, type StaffState } from '../../auth/staffSession.ts';
import { HttpError } from '../errors.ts';
import { parseBody } from '../parseBody.ts';

export const roomSettingsSchema = z.object({
  name: z.string().trim().min(1).max(80),
  description: z.string().trim().max(500).default(''),
  kind: z.enum(['storytime', 'peer-group', 'play', 'open']),
  language: z.enum(['fi', 'sv', 'en']),
  capacity: z.number().int().min(2).max(50),
  groundRules: z.string().trim().max(2000).default(''),
  lobbyEnabled: z.boolean().default(true),
  childrenPresent: z.boolean().default(false),
  chatEnabled: z.boolean().default(true),
});
const roomPatchSchema = roomSettingsSchema.partial().extend({ archived: z.boolean().optional() });

const invitationSchema = z.object({
  role: z.enum(['guest', 'host']).default('guest'),
  simple: z.boolean().default(false),
  label: z.string().trim().max(80).default(''),
  sessionId: z.uuid().optional(),
  /** Hours the link stays valid; sessions' links end with the session. */
  validHours: z.number().int().min(1).max(24 * 90).default(24 * 14),
});

export interface ManageDeps {
  rooms: RoomRepository;
  schedule: ScheduleRepository;
  invitations: InvitationRepository;
  audit: AuditLog;
  publicUrl: string;
}

function actor(ctx: { state: unknown }) {
  const staff = (ctx.state as StaffState).staff;
  if (!staff) throw new HttpError('unauthenticated', 'sign in first');
  return staff.record;
}

/** Rooms as staff manage them, and the invitations into them. */
export function manageRoomsRouter(deps: ManageDeps): Router {
  const router = new Router({ prefix: '/admin/rooms' });
  router.use(requireStaff());

  /** A host may act on a room only through a session they are assigned to in it. */
  const loadRoomFor = async (ctx: { state: unknown; params: Record<string, string> }, write: boolean): Promise<RoomRecord> => {
    const staff = actor(ctx);
    const room = await deps.rooms.findById(ctx.params.roomId ?? '');
    if (!room) throw new HttpError('not-found', 'no such room');
    if (staff.role === 'coordinator') return room;
    if (write) throw new HttpError('forbidden', 'only coordinators may change rooms');
    const far = new Date(Date.now() + 365 * 24 * 3600_000);
    const hosted = await deps.schedule.occurrences(new Date(0), far, { hostId: staff.id, roomId: room.id });
    if (hosted.length === 0) throw new HttpError('forbidden', 'you do not host sessions in this room');
    return room;
  };

  router.get('/', async (ctx) => {
    const staff = actor(ctx);
    const rooms = await deps.rooms.list({ includeArchived: ctx.query.archived === 'true' });
    if (staff.role === 'coordinator') {
      ctx.body = { rooms };
      return;
    }
    const far = new Date(Date.now() + 365 * 24 * 3600_000);
    const mine = new Set((await deps.schedule.occurrences(new Date(0), far, { hostId: staff.id })).map((o) => o.roomId));
    ctx.body = { rooms: rooms.filter((room) => mine.has(room.id)) };
  });

  router.post('/', requireStaff('coordinator'), async (ctx) => {
    const settings = parseBody(roomSettingsSchema, ctx);
    const staff = actor(ctx);
    const room = await deps.rooms.create(settings, staff.id);
    await deps.audit.record(staff.id, 'room.create', room.id);
    ctx.status = 201;
    ctx.body = { room };
  });

  router.get('/:roomId', async (ctx) => {
    ctx.body = { room: await loadRoomFor(ctx, false) };
  });

  router.patch('/:roomId', async (ctx) => {
    const room = await loadRoomFor(ctx, true);
    const patch = parseBody(roomPatchSchema, ctx);
    const updated = await deps.rooms.update(room.id, patch);
    await deps.audit.record(actor(ctx).id, patch.archived ? 'room.archive' : 'room.update', room.id);
    ctx.body = { room: updated };
  });

  router.get('/:roomId/invitations', async (ctx) => {
    const room = await loadRoomFor(ctx, false);
    ctx.body = { invitations: await deps.invitations.listForRoom(room.id) };
  });

  router.post('/:roomId/invitations', async (ctx) => {
    const room = await loadRoomFor(ctx, false);
    const staff = actor(ctx);
    const input = parseBody(invitationSchema, ctx);
    if (input.role === 'host' && staff.role !== 'coordinator') {
      throw new HttpError('forbidden', 'only coordinators may invite hosts');
    }
    let expiresAt = new Date(Date.now() + input.validHours * 3600_000);
    if (input.sessionId) {
      const session = await deps.schedule.findById(input.sessionId);
      if (!session || session.roomId !== room.id) throw new HttpError('not-found', 'no such session in this room');
      // A session's invitation ends with the session (its last occurrence, for a weekly one).
      const last = session.recurrence === 'weekly' ? (session.repeatUntil ?? expiresAt) : session.startsAt;
      expiresAt = new Date(Math.min(expiresAt.getTime(), last.getTime() + session.durationMinutes * 60_000));
    }
    const created = await deps.invitations.create({
      roomId: room.id,
      sessionId: input.sessionId ?? null,
      role: input.role,
      simple: input.simple,
      label: input.label,
      expiresAt,
      createdBy: staff.id,
    });
    await deps.audit.record(staff.id, 'invitation.create', created.invitation.id);
    ctx.status = 201;
    ctx.body = {
      invitation: created.invitation,
      token: created.token,
      code: created.code,
      url: `${deps.publicUrl}/j/${created.token}`,
    };
  });

  router.post('/:roomId/invitations/:invitationId/revoke', async (ctx) => {
    const room = await loadRoomFor(ctx, false);
    const invitation = await deps.invitations.findById(ctx.params.invitationId ?? '');
    if (!invitation || invitation.roomId !== room.id) throw new HttpError('not-found', 'no such invitation');
    await deps.invitations.revoke(invitation.id);
    await deps.audit.record(actor(ctx).id, 'invitation.revoke', invitation.id);
    ctx.status = 204;
  });

  return router;
}
