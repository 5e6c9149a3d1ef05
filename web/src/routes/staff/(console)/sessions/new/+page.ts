import { error } from '@sveltejs/kit';
import { api, type Room, type StaffMember } from '#lib/staff/api.ts';
import { requireCoordinator } from '../../coordinatorOnly.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, parent, url }) => {
  requireCoordinator((await parent()).me);
  try {
    const [{ rooms }, { staff }] = await Promise.all([
      api<{ rooms: Room[] }>('GET', '/api/admin/rooms', { fetchFn: fetch }),
      api<{ staff: StaffMember[] }>('GET', '/api/staff', { fetchFn: fetch }),
    ]);
    return { rooms, staff: staff.filter((s) => !s.disabled), roomId: url.searchParams.get('room') ?? '' };
  } catch {
    error(503, 'the rooms could not be loaded');
  }
};
