import type { InvitationRecord, InvitationRepository, RoomRecord, RoomRepository, ScheduleRepository, StaffRecord, StaffSessionRepository } from '@tupa/db';
import {
  forbiddenError,
  notFoundError,
  rateLimitedError,
  sessionNotStartedError,
  type Admissions,
  type JoinGrant,
  type RoomRules,
} from '@tupa/signaling';
import { codeWaitMessage, type CodeGuessingGuard } from './codeGuessingGuard.ts';

/** How early a guest may come in before a session starts (to test their camera, say hello). */
export const EARLY_ENTRY_MS = 15 * 60_000;

export interface AdmissionDeps {
  rooms: RoomRepository;
  invitations: InvitationRepository;
  staffSessions: StaffSessionRepository;
  schedule: ScheduleRepository;
  roomCapacity: number;
  /** Typed codes are guessable in principle; the same guard watches the web page's code check. */
  codeGuard: CodeGuessingGuard;
  /**
   * TUPA_OPEN_ROOMS: whether rooms without an owner (made from the start page) let anyone in by
   * their link. Off, they let in only staff who host them, so turning the setting off closes
   * the open rooms made while it was on too, not only the making of new ones.
   */
  openRooms: boolean;
}

/**
 * Who may enter which room, and as what. A host is a coordinator, a staff host assigned to a
 * session in the room, or someone holding a host invitation; a guest holds a guest invitation.
 * Rooms made from the start page (no owner) are open meeting places while TUPA_OPEN_ROOMS is on:
 * their link lets anyone in as a guest, without a lobby. The role always comes from here, never
 * from the client.
 */
export function createAdmissions(deps: AdmissionDeps): Admissions {
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

  /**
   * A guest invitation for a session opens from EARLY_ENTRY_MS before one of its meetings starts
   * until that meeting ends. Earlier the person is told when to come back; after the last
   * meeting the invitation no longer leads anywhere. Meetings are at their wall-clock time in the
   * session's zone (the schedule expands them so), so the quarter of an hour before 18.00 is
   * 17.45 on the clock also in the first week after the clocks change.
   */
  const checkSessionTime = async (invitation: InvitationRecord): Promise<void> => {
    if (!invitation.sessionId) return;
    const now = Date.now();
    const [upcoming] = await deps.schedule.occurrences(new Date(now), new Date(now + 366 * 24 * 3600_000), {
      roomId: invitation.roomId,
      sessionId: invitation.sessionId,
    });
    if (!upcoming) throw forbiddenError('this session is over', 'invitation-invalid');
    if (upcoming.startsAt.getTime() - EARLY_ENTRY_MS > now) throw sessionNotStartedError(upcoming.startsAt);
  };

  /** A typed code, through the guard: refused with rate-limited (and how long to wait) while waiting. */
  const findByCode = async (code: string, address: string): Promise<InvitationRecord | null> => {
    const looked = await deps.codeGuard.lookUp(address, () => deps.invitations.findValidByCode(code));
    if (looked.outcome === 'wait') throw rateLimitedError(codeWaitMessage(looked.retryAfterSeconds));
    return looked.outcome === 'found' ? looked.value : null;
  };

  const settingsOf = (room: RoomRecord): RoomRules => ({
    name: room.name,
    kind: room.kind,
    groundRules: room.groundRules,
    childrenPresent: room.childrenPresent,
    chatEnabled: room.chatEnabled,
    // A meeting place made from the start page has nobody to admit people.
    lobbyEnabled: room.createdBy !== null && room.lobbyEnabled,
    capacity: Math.min(room.capacity, deps.roomCapacity),
    madeFromStartPage: room.createdBy === null,
  });

  return {
    async grant(request): Promise<JoinGrant> {
      const staff = await staffOf(request.staffSessionId);
      if (request.invitation) {
        const invitation =
          'token' in request.invitation
            ? await deps.invitations.findValidByToken(request.invitation.token)
            : await findByCode(request.invitation.code, request.address);
        if (!invitation) throw forbiddenError('this invitation has expired or is not valid', 'invitation-invalid');
        const room = await deps.rooms.findById(invitation.roomId);
        if (!room || room.archived) throw notFoundError('no such room');
        const role = invitation.role === 'host' || (await hostsRoom(staff, room)) ? 'host' : 'guest';
        // Hosts come whenever they need to (to prepare); guests when the session is near.
        if (role === 'guest') await checkSessionTime(invitation);
        return { roomId: room.id, role, settings: settingsOf(room) };
      }
      const room = request.roomId ? await deps.rooms.findById(request.roomId) : null;
      if (!room || room.archived) throw notFoundError('no such room');
      if (await hostsRoom(staff, room)) return { roomId: room.id, role: 'host', settings: settingsOf(room) };
      if (room.createdBy !== null || !deps.openRooms) throw forbiddenError('an invitation is needed for this room', 'invitation-required');
      return { roomId: room.id, role: 'guest', settings: settingsOf(room) };
    },
  };
}
