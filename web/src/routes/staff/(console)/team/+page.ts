import { error } from '@sveltejs/kit';
import { api, type StaffMember } from '#lib/staff/api.ts';
import { requireCoordinator } from '../coordinatorOnly.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, parent }) => {
  requireCoordinator((await parent()).me);
  try {
    return await api<{ staff: StaffMember[] }>('GET', '/api/staff', { fetchFn: fetch });
  } catch {
    error(503, 'the staff could not be loaded');
  }
};
