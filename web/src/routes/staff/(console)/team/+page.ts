import { error } from '@sveltejs/kit';
import { request, restApi } from '#lib/staff/api.ts';
import { requireCoordinator } from '../coordinatorOnly.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, parent }) => {
  requireCoordinator((await parent()).me);
  try {
    return await request(restApi.listStaff, { fetchFn: fetch });
  } catch {
    error(503, 'the staff could not be loaded');
  }
};
