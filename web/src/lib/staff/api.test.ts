import { describe, expect, it } from 'vitest';
import { api, ApiError, errorKey } from './api.ts';

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
