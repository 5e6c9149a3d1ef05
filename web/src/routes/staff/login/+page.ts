import { redirect } from '@sveltejs/kit';
import { asJson, restApi } from '@tupa/signaling/protocol';
import type { PageLoad } from './$types';

/**
 * Someone already signed in goes straight to the console; on a fresh install, where no account
 * exists yet and nobody could sign in, the one-time setup takes the sign-in's place.
 */
export const load: PageLoad = async ({ fetch, url }) => {
  const [signedIn, setupOpen] = await Promise.all([
    answers(fetch, restApi.me.path).then((response) => response?.ok === true),
    answers(fetch, restApi.setupStatus.path).then(async (response) => {
      const body = asJson(restApi.setupStatus.response, await response?.json().catch(() => null));
      return response?.ok === true && body?.open === true;
    }),
  ]);
  if (signedIn) redirect(303, '/staff');
  if (setupOpen) redirect(303, '/staff/setup');
  return { signedOut: url.searchParams.has('signedOut') };
};

/** The API's answer, or null when the server cannot be reached (the form then shows, and says so on sign-in). */
async function answers(fetchFn: typeof fetch, path: string): Promise<Response | null> {
  try {
    return await fetchFn(path, { headers: { accept: 'application/json' } });
  } catch {
    return null;
  }
}
