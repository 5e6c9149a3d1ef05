import { error } from '@sveltejs/kit';
import { api, ApiError, type Invitation, type Room, type RoomSession } from '#lib/staff/api.ts';
import type { PageLoad } from './$types';

/** A room, its invitations, and its coming sessions (an invitation can be for one of them). */
export const load: PageLoad = async ({ fetch, params }) => {
  const base = `/api/admin/rooms/${encodeURIComponent(params.roomId)}`;
  try {
    const [{ room }, { invitations }, { sessions }] = await Promise.all([
      api<{ room: Room }>('GET', base, { fetchFn: fetch }),
      api<{ invitations: Invitation[] }>('GET', `${base}/invitations`, { fetchFn: fetch }),
      api<{ sessions: RoomSession[] }>('GET', `${base}/sessions`, { fetchFn: fetch }),
    ]);
    return { room, invitations, sessions };
  } catch (problem) {
    if (problem instanceof ApiError && (problem.status === 404 || problem.status === 403)) error(404, 'room not found');
    error(503, 'the room could not be loaded');
  }
};
