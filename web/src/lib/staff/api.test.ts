import { describe, expect, it } from 'vitest';
import { api, ApiError, errorKey, request, restApi } from './api.ts';

/** A fetch that answers every request with this status and JSON body. */
function answering(status: number, body: unknown): typeof fetch {
  return (async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })) as typeof fetch;
}

describe('staff API errors', () => {
  it('tells a coordinator about a hidden character when the server refused one', async () => {
    const refusal = {
      error: { code: 'validation', message: 'groundRules: contains a control character (U+0000)', reason: 'forbidden-character' },
    };
    const error = await api('POST', '/api/admin/rooms', { body: {}, fetchFn: answering(400, refusal) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'validation', reason: 'forbidden-character' });
    expect(errorKey(error)).toBe('staff.error.hiddenCharacter');
  });

  it('keeps the general message for other refused details', async () => {
    const error = await api('POST', '/api/admin/rooms', {
      body: {},
      fetchFn: answering(400, { error: { code: 'validation', message: 'capacity: too big' } }),
    }).catch((e: unknown) => e);
    expect((error as ApiError).reason).toBeUndefined();
    expect(errorKey(error)).toBe('staff.error.validation');
  });
});

describe('staff API requests', () => {
  /** A fetch that records what it was asked and answers 200 with `body`. */
  function recording(body: unknown) {
    const asked: { url: string; method: string; headers: Record<string, string>; body: string | undefined }[] = [];
    const fetchFn = (async (url: string, init: RequestInit) => {
      asked.push({ url, method: String(init.method), headers: init.headers as Record<string, string>, body: init.body as string | undefined });
      return new Response(JSON.stringify(body), { status: 200 });
    }) as typeof fetch;
    return { asked, fetchFn };
  }

  it('asks the endpoint the protocol names, with its path values encoded and its query', async () => {
    const { asked, fetchFn } = recording({});
    await request(restApi.revokeInvitation, { params: { roomId: 'a/b', invitationId: 'c' }, csrfToken: 'token', fetchFn });
    await request(restApi.listOccurrences, { query: { days: 14 }, fetchFn });
    expect(asked.map((a) => `${a.method} ${a.url}`)).toEqual([
      'POST /api/admin/rooms/a%2Fb/invitations/c/revoke',
      'GET /api/admin/sessions?days=14',
    ]);
    expect(asked[0]?.headers['x-csrf-token']).toBe('token');
  });

  it('sends the body as JSON and answers with the JSON as it came', async () => {
    const answer = { room: { id: 'r1', createdAt: '2026-10-29T16:00:00.000Z' } };
    const { asked, fetchFn } = recording(answer);
    const got = await request(restApi.updateRoom, { params: { roomId: 'r1' }, body: { archived: true }, csrfToken: 't', fetchFn });
    expect(asked[0]?.body).toBe('{"archived":true}');
    // Dates stay ISO strings, as the console's types (the schema's JSON side) say.
    expect(got.room.createdAt).toBe('2026-10-29T16:00:00.000Z');
  });
});
