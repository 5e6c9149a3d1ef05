import { error } from '@sveltejs/kit';
import { restApi } from '@tupa/signaling/protocol';
import { parseInvitation, type InvitationInfo } from '#lib/invitation/invitation.ts';
import { ApiError, request } from '#lib/rest.ts';
import type { PageLoad } from './$types';

// The call needs the browser (camera, WebRTC, the socket), so this page renders only there.
export const ssr = false;

const TOKEN = /^[A-Za-z0-9_-]{22}$/;

export const load: PageLoad = async ({ params, fetch }): Promise<{ token: string; invitation: InvitationInfo | null }> => {
  const token = params.token;
  if (!TOKEN.test(token)) return { token, invitation: null };
  try {
    const answer = await request(restApi.describeInvitation, { params: { token }, fetchFn: fetch });
    return { token, invitation: parseInvitation(answer) };
  } catch (problem) {
    if (!(problem instanceof ApiError)) throw problem;
    if (problem.status === 0) error(503, 'the server could not be reached');
    if (problem.status === 404) return { token, invitation: null };
    error(problem.status >= 500 ? problem.status : 500, 'invitation lookup failed');
  }
};
