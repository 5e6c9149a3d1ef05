// The staff console's one way to talk to the server: JSON in and out, the CSRF token on every
// change, and failures as an ApiError whose code the pages translate.

/** A staff member as the server describes them. */
export interface StaffMember {
  id: string;
  email: string;
  displayName: string;
  role: 'coordinator' | 'host';
  disabled?: boolean;
}

export type RoomKind = 'storytime' | 'peer-group' | 'play' | 'open';
export const ROOM_KINDS: readonly RoomKind[] = ['storytime', 'peer-group', 'play', 'open'];
export type RoomLanguage = 'fi' | 'sv' | 'en';
export const ROOM_LANGUAGES: readonly RoomLanguage[] = ['fi', 'sv', 'en'];

export interface RoomSettings {
  name: string;
  description: string;
  kind: RoomKind;
  language: RoomLanguage;
  capacity: number;
  groundRules: string;
  lobbyEnabled: boolean;
  childrenPresent: boolean;
  chatEnabled: boolean;
}

export interface Room extends RoomSettings {
  id: string;
  archived: boolean;
  createdAt: string;
}

export interface Invitation {
  id: string;
  roomId: string;
  sessionId: string | null;
  role: 'guest' | 'host';
  simple: boolean;
  label: string;
  expiresAt: string;
  revoked: boolean;
  createdAt: string;
}

/** A fresh invitation: the only moment its link and code exist outside the guest's hands. */
export interface CreatedInvitation {
  invitation: Invitation;
  token: string;
  code: string;
  url: string;
}

export interface Occurrence {
  sessionId: string;
  roomId: string;
  title: string;
  startsAt: string;
  endsAt: string;
  hostIds: string[];
}

/**
 * A session an invitation into its room can be for (`GET /api/admin/rooms/:id/sessions`): its next
 * meeting, and when an invitation for it made now would stop working, by the server's rule
 * (`'session'`: when its last meeting ends; `'limit'`: after three months, the longest).
 */
export interface RoomSession {
  sessionId: string;
  title: string;
  weekly: boolean;
  next: { startsAt: string; endsAt: string };
  invitationEndsAt: string;
  invitationEndsWith: 'session' | 'limit';
}

export interface Book {
  id: string;
  title: string;
  author: string;
  illustrator: string;
  description: string;
  language: string;
  ageMin: number;
  ageMax: number;
  licence: string;
  pageCount: number;
  aspectRatio: number;
  source: string;
}

/**
 * A refused or failed request: the HTTP status (0 when the server could not be reached), the
 * server's code, and its finer reason when it gave one ('forbidden-character': a field holds a
 * control character or a text direction control, see signaling/src/protocol/text.ts).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Fetch = typeof fetch;

/**
 * Sends one request to the API. `csrfToken` goes with every change (the server refuses changes
 * without it); `fetchFn` is the load function's fetch where there is one.
 */
export async function api<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  options: { body?: unknown; csrfToken?: string; fetchFn?: Fetch } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.csrfToken && method !== 'GET') headers['x-csrf-token'] = options.csrfToken;
  let response: Response;
  try {
    response = await (options.fetchFn ?? fetch)(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
  } catch (error) {
    throw new ApiError(0, 'network', error instanceof Error ? error.message : 'network error');
  }
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // A proxy's HTML error page: the status says enough.
  }
  if (!response.ok) {
    const error = (json as { error?: { code?: unknown; message?: unknown; reason?: unknown } } | null)?.error;
    throw new ApiError(
      response.status,
      typeof error?.code === 'string' ? error.code : 'internal',
      typeof error?.message === 'string' ? error.message : `HTTP ${response.status}`,
      typeof error?.reason === 'string' ? error.reason : undefined,
    );
  }
  return json as T;
}

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
