// The staff console's way to talk to the server: the shared `request` (lib/rest.ts), and the
// catalogue key for each ApiError the pages show. What each endpoint takes and answers is the
// protocol's (signaling/src/protocol/rest/): the types below are derived from the schemas the
// server validates and answers with, as the JSON arrives here (dates as ISO strings).

import { ApiError } from '../rest.ts';

export { ApiError, api, request, type RequestOptions } from '../rest.ts';
export { ROOM_KINDS, ROOM_LANGUAGES, PASSWORD_LENGTH, restApi } from '@tupa/signaling/protocol';
export type {
  CreatedInvitation,
  InvitableSession,
  IssuedInvitation,
  ManagedRoom,
  Occurrence,
  RoomKind,
  RoomLanguage,
  RoomSettings,
  ShelfBook,
  StaffAccount,
  StaffMember,
} from '@tupa/signaling/protocol';

/** The catalogue key that explains an ApiError (or anything thrown) to a coordinator. */
export function errorKey(error: unknown):
  | 'staff.error.network'
  | 'staff.error.signedOut'
  | 'staff.error.forbidden'
  | 'staff.error.notFound'
  | 'staff.error.validation'
  | 'staff.error.hiddenCharacter'
  | 'staff.error.rateLimited'
  | 'staff.error.generic' {
  if (!(error instanceof ApiError)) return 'staff.error.generic';
  switch (error.status) {
    case 0:
      return 'staff.error.network';
    case 401:
      return 'staff.error.signedOut';
    case 403:
      return 'staff.error.forbidden';
    case 404:
      return 'staff.error.notFound';
    case 400:
      return error.reason === 'forbidden-character' ? 'staff.error.hiddenCharacter' : 'staff.error.validation';
    case 429:
      return 'staff.error.rateLimited';
    default:
      return 'staff.error.generic';
  }
}
