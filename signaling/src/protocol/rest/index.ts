import { bookEndpoints } from './books.ts';
import { invitationEndpoints } from './invitations.ts';
import { roomEndpoints } from './rooms.ts';
import { sessionEndpoints } from './sessions.ts';
import { staffEndpoints } from './staff.ts';

export * from './books.ts';
export * from './endpoint.ts';
export * from './errors.ts';
export * from './invitations.ts';
export * from './rooms.ts';
export * from './sessions.ts';
export * from './staff.ts';

/**
 * Every endpoint of the REST API (the staff console's, and the public look-ups of rooms,
 * invitations and books), by name. The Koa routes validate with these schemas and type their
 * answers by them (server/src/http/respond.ts); the browser derives its types from them.
 */
export const restApi = {
  ...roomEndpoints,
  ...sessionEndpoints,
  ...invitationEndpoints,
  ...bookEndpoints,
  ...staffEndpoints,
};
export type RestEndpointName = keyof typeof restApi;
