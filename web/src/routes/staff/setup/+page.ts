import { error, redirect } from '@sveltejs/kit';
import { asJson, restApi } from '@tupa/signaling/protocol';
import type { PageLoad } from './$types';

/** The first coordinator is created here, and only while no account exists at all. */
export const load: PageLoad = async ({ fetch }) => {
  let response: Response;
  try {
    response = await fetch(restApi.setupStatus.path, { headers: { accept: 'application/json' } });
  } catch {
    error(503, 'the server could not be reached');
  }
  const body = asJson(restApi.setupStatus.response, await response.json().catch(() => null));
  if (!response.ok || body?.open !== true) redirect(303, '/staff/login');
  return {};
};
