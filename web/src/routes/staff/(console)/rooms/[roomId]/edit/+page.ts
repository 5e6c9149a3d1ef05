import { error } from '@sveltejs/kit';
import { api, type Room } from '#lib/staff/api.ts';
import { requireCoordinator } from '../../../coordinatorOnly.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, params, parent }) => {
  requireCoordinator((await parent()).me);
  try {
    return await api<{ room: Room }>('GET', `/api/admin/rooms/${encodeURIComponent(params.roomId)}`, { fetchFn: fetch });
  } catch {
    error(404, 'room not found');
  }
};
