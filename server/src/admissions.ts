import type { InvitationRepository, RoomRecord, RoomRepository, ScheduleRepository, StaffRecord, StaffSessionRepository } from '@tupa/db';
import {
  FixedWindowCounter,
  forbiddenError,
  notFoundError,
  rateLimitedError,
  type Admissions,
  type JoinGrant,
  type RoomSettings,
} from '@tupa/signaling';

export interface AdmissionDeps {
  rooms: RoomRepository;
  invitations: InvitationRepository;
  staffSessions: StaffSessionRepository;
  schedule: ScheduleRepository;
  roomCapacity: number;
}

/**
 * Who may enter which room, and as what. A host is a coordinator, a staff host assigned to a
 * session in the room, or someone holding a host invitation; a guest holds a guest invitation.
 * Rooms made from the start page (no owner) are open meeting places: their link lets anyone in
 * as a guest, without a lobby. The role always comes from here, never from the client.
 */
export function createAdmissions(deps: AdmissionDeps): Admissions {
  // Typed codes are guessable in principle: few tries per address, as on the HTTP side.
  const codeAttempts = new FixedWindowCounter(10, 60_000);

  const staffOf = async (sessionId: string | undefined): Promise<StaffRecord | null> =>
    sessionId ? ((await deps.staffSessions.find(sessionId))?.staff ?? null) : null;

  const hostsRoom = async (staff: StaffRecord | null, room: RoomRecord): Promise<boolean> => {
    if (!staff) return false;
    if (staff.role === 'coordinator') return true;
    const now = Date.now();
    const around = await deps.schedule.occurrences(new Date(now - 24 * 3600_000), new Date(now + 366 * 24 * 3600_000), {
      hostId: staff.id,
      roomId: room.id,
    });
    return around.length > 0;
  };

  const settingsOf = (room: RoomRecord): RoomSettings => ({
    name: room.name,
    kind: room.kind,
    groundRules: room.groundRules,
    childrenPresent: room.childrenPresent,
    chatEnabled: room.chatEnabled,
    // An open meeting place has nobody to admit people.
    lobbyEnabled: room.createdBy !== null && room.lobbyEnabled,
    capacity: Math.min(room.capacity, deps.roomCapacity),
  });

  return {
    async grant(request): Promise<JoinGrant> {
      const staff = await staffOf(request.staffSessionId);
      if (request.invitation) {
        if ('code' in request.invitation && !codeAttempts.hit(request.address)) {
          throw rateLimitedError('too many tries, wait a minute');
        }
        const invitation =
          'token' in request.invitation
            ? await deps.invitations.findValidByToken(request.invitation.token)
            : await deps.invitations.findValidByCode(request.invitation.code);
        if (!invitation) throw forbiddenError('this invitation has expired or is not valid', 'invitation-invalid');
        const room = await deps.rooms.findById(invitation.roomId);
        if (!room || room.archived) throw notFoundError('no such room');
        const role = invitation.role === 'host' || (await hostsRoom(staff, room)) ? 'host' : 'guest';
        return { roomId: room.id, role, settings: settingsOf(room) };
      }
      const room = request.roomId ? await deps.rooms.findById(request.roomId) : null;
      if (!room || room.archived) throw notFoundError('no such room');
      if (await hostsRoom(staff, room)) return { roomId: room.id, role: 'host', settings: settingsOf(room) };
      if (room.createdBy !== null) throw forbiddenError('an invitation is needed for this room', 'invitation-required');
      return { roomId: room.id, role: 'guest', settings: settingsOf(room) };
    },
  };
}
