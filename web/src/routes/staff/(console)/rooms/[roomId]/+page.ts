import { error } from '@sveltejs/kit';
import { ApiError, request, restApi } from '#lib/staff/api.ts';
import type { PageLoad } from './$types';

/** A room, its invitations, and its coming sessions (an invitation can be for one of them). */
export const load: PageLoad = async ({ fetch, params }) => {
  const ofRoom = { params: { roomId: params.roomId }, fetchFn: fetch };
  try {
    const [{ room }, { invitations }, { sessions }] = await Promise.all([
      request(restApi.getRoom, ofRoom),
      request(restApi.listInvitations, ofRoom),
      request(restApi.listInvitableSessions, ofRoom),
    ]);
    return { room, invitations, sessions };
  } catch (problem) {
    if (problem instanceof ApiError && (problem.status === 404 || problem.status === 403)) error(404, 'room not found');
    error(503, 'the room could not be loaded');
  }
};
