// The browser's one way to call the REST API: JSON in and out, the CSRF token on every change,
// and failures as an ApiError (status 0: the server could not be reached). What each endpoint
// takes and answers is the protocol's `restApi` (signaling/src/protocol/rest/), so paths and
// shapes are written once. The staff console (lib/staff/api.ts) and the public pages (the book
// shelf, an invitation link, a new open room) use it alike.

import type { BodyJson, Endpoint, PathParams, QueryJson, ResponseJson } from '@tupa/signaling/protocol';
import { fillPath } from '@tupa/signaling/protocol';

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

/** What `request` needs besides the endpoint: its path's values, query, body, and the CSRF token. */
export type RequestOptions<E extends Endpoint> = (keyof PathParams<E['path']> extends never
  ? { params?: undefined }
  : { params: PathParams<E['path']> }) & {
  query?: QueryJson<E>;
  body?: BodyJson<E>;
  csrfToken?: string;
  fetchFn?: Fetch;
};

/**
 * Sends one request to an endpoint of the protocol's `restApi` and answers with its JSON, typed
 * by the endpoint's response schema. Throws ApiError as `api` does.
 */
export function request<E extends Endpoint>(endpoint: E, options: RequestOptions<E>): Promise<ResponseJson<E>> {
  let path = fillPath(endpoint.path, options.params as Record<string, string> | undefined);
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries((options.query ?? {}) as Record<string, unknown>)) {
    if (value !== undefined) query.set(name, String(value));
  }
  const search = query.toString();
  if (search) path += `?${search}`;
  return api<ResponseJson<E>>(endpoint.method, path, {
    ...(options.body !== undefined ? { body: options.body } : {}),
    ...(options.csrfToken !== undefined ? { csrfToken: options.csrfToken } : {}),
    ...(options.fetchFn !== undefined ? { fetchFn: options.fetchFn } : {}),
  });
}
