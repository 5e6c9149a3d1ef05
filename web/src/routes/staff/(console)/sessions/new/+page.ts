import { error } from '@sveltejs/kit';
import { request, restApi } from '#lib/staff/api.ts';
import { requireCoordinator } from '../../coordinatorOnly.ts';
import type { PageLoad } from './$types';

/**
 * The rooms a session can be in and the staff who can host it. `?room=<roomId>` (the room page's
 * "plan a session" link) chooses that room at the start, when it is one of the rooms offered.
 */
export const load: PageLoad = async ({ fetch, parent, url }) => {
  requireCoordinator((await parent()).me);
  try {
    const [{ rooms }, { staff }] = await Promise.all([
      request(restApi.listRooms, { fetchFn: fetch }),
      request(restApi.listStaff, { fetchFn: fetch }),
    ]);
    const offered = rooms.filter((room) => !room.archived);
    const asked = url.searchParams.get('room') ?? '';
    return {
      rooms: offered,
      staff: staff.filter((s) => !s.disabled),
      roomId: offered.some((room) => room.id === asked) ? asked : '',
    };
  } catch {
    error(503, 'the rooms could not be loaded');
  }
};
