import { error } from '@sveltejs/kit';
import { restApi, roomIdSchema } from '@tupa/signaling/protocol';
import { ApiError, request } from '#lib/rest.ts';
import type { PageLoad } from './$types';

// The call needs the browser (camera, WebRTC, the socket), so this page renders only there.
export const ssr = false;

export const load: PageLoad = async ({ params, fetch }) => {
  const roomId = params.roomId;
  if (!roomIdSchema.safeParse(roomId).success) error(404, 'room not found');

  try {
    await request(restApi.findOpenRoom, { params: { roomId }, fetchFn: fetch });
  } catch (problem) {
    if (!(problem instanceof ApiError)) throw problem;
    if (problem.status === 0) error(503, 'the server could not be reached');
    if (problem.status === 404) error(404, 'room not found');
    error(problem.status >= 500 ? problem.status : 500, 'room lookup failed');
  }
  return { roomId };
};
