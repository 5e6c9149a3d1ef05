import { error } from '@sveltejs/kit';
import { api, ApiError, type Invitation, type Occurrence, type Room } from '#lib/staff/api.ts';
import type { PageLoad } from './$types';

/** A room, its invitations, and its coming sessions (an invitation can be for one of them). */
export const load: PageLoad = async ({ fetch, params }) => {
  const base = `/api/admin/rooms/${encodeURIComponent(params.roomId)}`;
  try {
    const [{ room }, { invitations }, { occurrences }] = await Promise.all([
      api<{ room: Room }>('GET', base, { fetchFn: fetch }),
      api<{ invitations: Invitation[] }>('GET', `${base}/invitations`, { fetchFn: fetch }),
      api<{ occurrences: Occurrence[] }>('GET', '/api/admin/sessions?days=90', { fetchFn: fetch }),
    ]);
    const sessions = new Map<string, Occurrence>();
    for (const o of occurrences) if (o.roomId === room.id && !sessions.has(o.sessionId)) sessions.set(o.sessionId, o);
    return { room, invitations, sessions: [...sessions.values()] };
  } catch (problem) {
    if (problem instanceof ApiError && (problem.status === 404 || problem.status === 403)) error(404, 'room not found');
    error(503, 'the room could not be loaded');
  }
};
