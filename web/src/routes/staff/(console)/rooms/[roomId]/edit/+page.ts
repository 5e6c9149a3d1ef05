import { error } from '@sveltejs/kit';
import { request, restApi } from '#lib/staff/api.ts';
import { requireCoordinator } from '../../../coordinatorOnly.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, params, parent }) => {
  requireCoordinator((await parent()).me);
  try {
    return await request(restApi.getRoom, { params: { roomId: params.roomId }, fetchFn: fetch });
  } catch {
    error(404, 'room not found');
  }
};
