import { redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';

/** Someone already signed in goes straight to the console. */
export const load: PageLoad = async ({ fetch, url }) => {
  let signedIn = false;
  try {
    signedIn = (await fetch('/api/auth/me', { headers: { accept: 'application/json' } })).ok;
  } catch {
    // Unreachable server: show the form; signing in will say what is wrong.
  }
  if (signedIn) redirect(303, '/staff');
  return { signedOut: url.searchParams.has('signedOut') };
};
