import Router from '@koa/router';
import type { RoomRepository } from '@tupa/db';
import { restApi, roomIdSchema } from '@tupa/signaling/protocol';
import { HttpError } from '../errors.ts';
import { respond } from '../respond.ts';
import { FixedWindowCounter } from '@tupa/signaling';

/**
 * Rooms: create one and get its link; check that a link still leads somewhere.
 *
 * `openRooms` (TUPA_OPEN_ROOMS) says whether anyone may create an open room without signing in.
 * When it is off, `POST /rooms` answers 403 `open-rooms-off` and creates nothing, and an open
 * room made earlier is "not found" here (its link leads nowhere, and admissions let no guest in),
 * so turning the setting off closes the open meeting places too.
 */
export function roomsRouter(rooms: RoomRepository, options: { openRooms: boolean }): Router {
  const router = new Router({ prefix: '/rooms' });
  const createLimiter = new FixedWindowCounter(30, 60_000);

  router.post('/', async (ctx) => {
    if (!options.openRooms) {
      throw new HttpError('open-rooms-off', 'this Tupa does not create open rooms; staff create rooms in the staff console');
    }
    if (!createLimiter.hit(ctx.ip)) throw new HttpError('rate-limited', 'too many rooms created, try again in a minute');
    const room = await rooms.create();
    respond(ctx, restApi.createOpenRoom, { roomId: room.id, path: `/r/${room.id}` });
  });

  router.get('/:roomId', async (ctx) => {
    const parsed = roomIdSchema.safeParse(ctx.params.roomId);
    if (!parsed.success) throw new HttpError('not-found', 'no such room');
    const room = await rooms.findById(parsed.data);
    if (!room || (room.createdBy === null && !options.openRooms)) throw new HttpError('not-found', 'no such room');
    respond(ctx, restApi.findOpenRoom, { roomId: room.id });
  });

  return router;
}
