import { error } from '@sveltejs/kit';
import { api, type Occurrence, type Room } from '#lib/staff/api.ts';
import { staffNames } from '../staffNames.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, parent }) => {
  const { me } = await parent();
  try {
    const [{ occurrences }, { rooms }, names] = await Promise.all([
      api<{ occurrences: Occurrence[] }>('GET', '/api/admin/sessions?days=28', { fetchFn: fetch }),
      api<{ rooms: Room[] }>('GET', '/api/admin/rooms', { fetchFn: fetch }),
      staffNames(me, fetch),
    ]);
    return { occurrences, roomNames: Object.fromEntries(rooms.map((r) => [r.id, r.name])), names };
  } catch {
    error(503, 'the sessions could not be loaded');
  }
};
