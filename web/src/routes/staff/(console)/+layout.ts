import { error, redirect } from '@sveltejs/kit';
import { ApiError, request, restApi } from '#lib/staff/api.ts';
import type { LayoutLoad } from './$types';

/** Every console page needs a signed-in staff member; without one, the sign-in page. */
export const load: LayoutLoad = async ({ fetch }) => {
  try {
    const me = await request(restApi.me, { fetchFn: fetch });
    return { me: me.staff, csrfToken: me.csrfToken };
  } catch (problem) {
    if (problem instanceof ApiError && problem.status === 401) redirect(303, '/staff/login');
    error(503, 'the server could not be reached');
  }
};
