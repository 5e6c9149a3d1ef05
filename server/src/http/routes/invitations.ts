import Router from '@koa/router';
import type { InvitationRecord, InvitationRepository, RoomRepository, ScheduleRepository } from '@tupa/db';
import { restApi, type ResponseValue } from '@tupa/signaling/protocol';
import { EARLY_ENTRY_MS } from '../../admissions.ts';
import { codeWaitMessage, type CodeGuessingGuard } from '../../codeGuessingGuard.ts';
import { HttpError } from '../errors.ts';
import { parseBody } from '../parseBody.ts';
import { respond } from '../respond.ts';

/**
 * What a person holding an invitation may know before joining: the room's name, kind and
 * language, whether this is a simple (grandparent) link, and when the session is (with `open`:
 * whether guests may come in now, decided by the server's clock, not the tablet's). Nothing
 * about other participants.
 */
export function invitationsRouter(deps: {
  invitations: InvitationRepository;
  rooms: RoomRepository;
  schedule: ScheduleRepository;
  /** Typed codes are the guessable door; the same guard watches joins by code. */
  codeGuard: CodeGuessingGuard;
}): Router {
  const router = new Router({ prefix: '/invitations' });

  const describe = async (invitation: InvitationRecord): Promise<ResponseValue<typeof restApi.describeInvitation>> => {
    const room = await deps.rooms.findById(invitation.roomId);
    if (!room || room.archived) throw new HttpError('not-found', 'this invitation no longer leads anywhere');
    const session = invitation.sessionId ? await deps.schedule.findById(invitation.sessionId) : null;
    const now = new Date();
    const [next] = session
      ? await deps.schedule.occurrences(now, new Date(now.getTime() + 366 * 24 * 3600_000), { roomId: room.id, sessionId: session.id })
      : [];
    return {
      room: { name: room.name, kind: room.kind, language: room.language, groundRules: room.groundRules },
      role: invitation.role,
      simple: invitation.simple,
      expiresAt: invitation.expiresAt,
      session: next
        ? {
            title: next.title,
            startsAt: next.startsAt,
            endsAt: next.endsAt,
            open: next.startsAt.getTime() - EARLY_ENTRY_MS <= now.getTime(),
          }
        : null,
    };
  };

  router.get('/:token', async (ctx) => {
    const invitation = await deps.invitations.findValidByToken(ctx.params.token ?? '');
    if (!invitation) throw new HttpError('not-found', 'this link has expired or is not valid');
    respond(ctx, restApi.describeInvitation, await describe(invitation));
  });

  /**
   * Checks a typed code and describes where it leads; the code itself is what joins. While the
   * address (or everyone) waits after too many wrong codes: 429 with `retryAfterSeconds`.
   */
  router.post('/by-code', async (ctx) => {
    const { code } = parseBody(restApi.lookUpCode.body, ctx);
    const looked = await deps.codeGuard.lookUp(ctx.ip, () => deps.invitations.findValidByCode(code));
    if (looked.outcome === 'wait') {
      throw new HttpError('rate-limited', codeWaitMessage(looked.retryAfterSeconds), {
        retryAfterSeconds: looked.retryAfterSeconds,
      });
    }
    if (looked.outcome === 'not-found') throw new HttpError('not-found', 'no invitation has this code');
    respond(ctx, restApi.lookUpCode, await describe(looked.value));
  });

  return router;
}
