import { error } from '@sveltejs/kit';
import { request, restApi } from '#lib/staff/api.ts';
import { staffNames } from '../staffNames.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, parent }) => {
  const { me } = await parent();
  try {
    const [{ occurrences }, { rooms }, names] = await Promise.all([
      request(restApi.listOccurrences, { query: { days: 28 }, fetchFn: fetch }),
      request(restApi.listRooms, { fetchFn: fetch }),
      staffNames(me, fetch),
    ]);
    return { occurrences, roomNames: Object.fromEntries(rooms.map((r) => [r.id, r.name])), names };
  } catch {
    error(503, 'the sessions could not be loaded');
  }
};
