import { error } from '@sveltejs/kit';
import { request, restApi } from '#lib/staff/api.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch }) => {
  try {
    return await request(restApi.listRooms, { fetchFn: fetch });
  } catch {
    error(503, 'the rooms could not be loaded');
  }
};
