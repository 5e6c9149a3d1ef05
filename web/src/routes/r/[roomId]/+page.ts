import { error } from '@sveltejs/kit';
import { roomIdSchema } from '@tupa/signaling/protocol';
import type { PageLoad } from './$types';

// The call needs the browser (camera, WebRTC, the socket), so this page renders only there.
export const ssr = false;

export const load: PageLoad = async ({ params, fetch }) => {
  const roomId = params.roomId;
  if (!roomIdSchema.safeParse(roomId).success) error(404, 'room not found');

  let response: Response;
  try {
    response = await fetch(`/api/rooms/${encodeURIComponent(roomId)}`, { headers: { accept: 'application/json' } });
  } catch {
    error(503, 'the server could not be reached');
  }
  if (response.status === 404) error(404, 'room not found');
  if (!response.ok) error(response.status >= 500 ? response.status : 500, 'room lookup failed');
  return { roomId };
};
