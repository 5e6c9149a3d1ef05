import { error } from '@sveltejs/kit';
import { parseInvitation, type InvitationInfo } from '#lib/invitation/invitation.ts';
import type { PageLoad } from './$types';

// The call needs the browser (camera, WebRTC, the socket), so this page renders only there.
export const ssr = false;

const TOKEN = /^[A-Za-z0-9_-]{22}$/;

export const load: PageLoad = async ({ params, fetch }): Promise<{ token: string; invitation: InvitationInfo | null }> => {
  const token = params.token;
  if (!TOKEN.test(token)) return { token, invitation: null };
  let response: Response;
  try {
    response = await fetch(`/api/invitations/${encodeURIComponent(token)}`, { headers: { accept: 'application/json' } });
  } catch {
    error(503, 'the server could not be reached');
  }
  if (response.status === 404) return { token, invitation: null };
  if (!response.ok) error(response.status >= 500 ? response.status : 500, 'invitation lookup failed');
  return { token, invitation: parseInvitation(await response.json()) };
};
