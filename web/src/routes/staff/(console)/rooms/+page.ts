import { error } from '@sveltejs/kit';
import { api, type Room } from '#lib/staff/api.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch }) => {
  try {
    return await api<{ rooms: Room[] }>('GET', '/api/admin/rooms', { fetchFn: fetch });
  } catch {
    error(503, 'the rooms could not be loaded');
  }
};
