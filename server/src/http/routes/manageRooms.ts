import Router from '@koa/router';
import type { AuditLog, InvitationRepository, RoomRecord, RoomRepository, ScheduleRepository } from '@tupa/db';
import { restApi, type ResponseValue } from '@tupa/signaling/protocol';
import { requireStaff, type StaffState } from '../../auth/staffSession.ts';
import { invitationExpiry, MAX_INVITATION_HOURS } from '../../invitationExpiry.ts';
import { HttpError } from '../errors.ts';
import { parseBody, parseQuery } from '../parseBody.ts';
import { respond, respondEmpty } from '../respond.ts';

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
    const { archived } = parseQuery(restApi.listRooms.query, ctx);
    const rooms = await deps.rooms.list({ includeArchived: archived === 'true' });
    if (staff.role === 'coordinator') {
      respond(ctx, restApi.listRooms, { rooms });
      return;
    }
    const far = new Date(Date.now() + 365 * 24 * 3600_000);
    const mine = new Set((await deps.schedule.occurrences(new Date(0), far, { hostId: staff.id })).map((o) => o.roomId));
    respond(ctx, restApi.listRooms, { rooms: rooms.filter((room) => mine.has(room.id)) });
  });

  router.post('/', requireStaff('coordinator'), async (ctx) => {
    const settings = parseBody(restApi.createRoom.body, ctx);
    const staff = actor(ctx);
    const room = await deps.rooms.create(settings, staff.id);
    await deps.audit.record(staff.id, 'room.create', room.id);
    respond(ctx, restApi.createRoom, { room });
  });

  router.get('/:roomId', async (ctx) => {
    respond(ctx, restApi.getRoom, { room: await loadRoomFor(ctx, false) });
  });

  router.patch('/:roomId', async (ctx) => {
    const room = await loadRoomFor(ctx, true);
    const patch = parseBody(restApi.updateRoom.body, ctx);
    const updated = await deps.rooms.update(room.id, patch);
    await deps.audit.record(actor(ctx).id, patch.archived ? 'room.archive' : 'room.update', room.id);
    if (!updated) throw new HttpError('not-found', 'no such room');
    respond(ctx, restApi.updateRoom, { room: updated });
  });

  /**
   * The room's sessions an invitation can be for: each with its next meeting in the coming 90
   * days (`next`, ISO times), whether it repeats weekly, and when an invitation for it made now
   * would stop working (`invitationEndsAt`, `invitationEndsWith: 'session' | 'limit'`), so the
   * form can say so before anything is made. A host sees the sessions they host.
   */
  router.get('/:roomId/sessions', async (ctx) => {
    const room = await loadRoomFor(ctx, false);
    const staff = actor(ctx);
    const now = new Date();
    const meetings = await deps.schedule.occurrences(now, new Date(now.getTime() + MAX_INVITATION_HOURS * 3600_000), {
      roomId: room.id,
      ...(staff.role === 'coordinator' ? {} : { hostId: staff.id }),
    });
    const sessions: ResponseValue<typeof restApi.listInvitableSessions>['sessions'] = [];
    const seen = new Set<string>();
    for (const meeting of meetings) {
      if (seen.has(meeting.sessionId)) continue;
      seen.add(meeting.sessionId);
      const session = await deps.schedule.findById(meeting.sessionId);
      if (!session) continue;
      const expiry = invitationExpiry({ session }, now);
      sessions.push({
        sessionId: session.id,
        title: session.title,
        weekly: session.recurrence === 'weekly',
        next: { startsAt: meeting.startsAt, endsAt: meeting.endsAt },
        invitationEndsAt: expiry.expiresAt,
        invitationEndsWith: expiry.endsWith,
      });
    }
    respond(ctx, restApi.listInvitableSessions, { sessions });
  });

  router.get('/:roomId/invitations', async (ctx) => {
    const room = await loadRoomFor(ctx, false);
    respond(ctx, restApi.listInvitations, { invitations: await deps.invitations.listForRoom(room.id) });
  });

  router.post('/:roomId/invitations', async (ctx) => {
    const room = await loadRoomFor(ctx, false);
    const staff = actor(ctx);
    const input = parseBody(restApi.createInvitation.body, ctx);
    if (input.role === 'host' && staff.role !== 'coordinator') {
      throw new HttpError('forbidden', 'only coordinators may invite hosts');
    }
    const session = input.sessionId ? await deps.schedule.findById(input.sessionId) : null;
    if (input.sessionId && (!session || session.roomId !== room.id)) throw new HttpError('not-found', 'no such session in this room');
    const { expiresAt, sessionOver } = invitationExpiry({ session, validHours: input.validHours });
    if (sessionOver) throw new HttpError('invalid-state', 'the session has no meetings left');
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
    respond(ctx, restApi.createInvitation, {
      invitation: created.invitation,
      token: created.token,
      code: created.code,
      url: `${deps.publicUrl}/j/${created.token}`,
    });
  });

  router.post('/:roomId/invitations/:invitationId/revoke', async (ctx) => {
    const room = await loadRoomFor(ctx, false);
    const invitation = await deps.invitations.findById(ctx.params.invitationId ?? '');
    if (!invitation || invitation.roomId !== room.id) throw new HttpError('not-found', 'no such invitation');
    // The same rule as for making one: a host invitation is a coordinator's to give and to take back.
    if (invitation.role === 'host' && actor(ctx).role !== 'coordinator') {
      throw new HttpError('forbidden', 'only coordinators may revoke host invitations');
    }
    await deps.invitations.revoke(invitation.id);
    await deps.audit.record(actor(ctx).id, 'invitation.revoke', invitation.id);
    respondEmpty(ctx, restApi.revokeInvitation);
  });

  return router;
}
