import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientPool, createRoom, staffAccounts } from '../support/staffAccounts.ts';
import { eventually, startTestServer, type TestServer } from '../support/server.ts';

// Typed invitation codes: wrong ones are limited, right ones never. The server trusts
// X-Forwarded-For here (as behind the recommended proxy), so each request says its address;
// Socket.IO sees the loopback address, as does HTTP without the header.

const WRONG = 'AAAAA-AAAAA';

async function serverWithInvitation(): Promise<{ t: TestServer; code: string; token: string }> {
  const t = await startTestServer({ env: { TRUST_PROXY: 'true' } });
  const { coordinator } = await staffAccounts(t.url);
  const roomId = await createRoom(coordinator);
  const invited = await coordinator.send('POST', `/api/admin/rooms/${roomId}/invitations`, { role: 'guest', validHours: 24 });
  expect(invited.status).toBe(201);
  return { t, code: invited.json.code as string, token: invited.json.token as string };
}

/** The web page's code check, from `forwardedFor` (the proxy's word for the address) or from loopback. */
async function checkCode(t: TestServer, code: string, forwardedFor?: string) {
  const response = await fetch(`${t.url}/api/invitations/by-code`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin: t.url,
      ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
    },
    body: JSON.stringify({ code }),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const json = (await response.json()) as Record<string, any>;
  return { status: response.status, json, retryAfter: response.headers.get('retry-after') };
}

/**
 * Types wrong codes (from `addressOf(i)` for the i-th try; undefined is loopback) until one is
 * refused with a wait of at least `seconds`, polling through the shorter waits before it; returns
 * that refusal. A longer wait keeps a slow machine from running out of it before the next step.
 */
async function wrongUntilWait(t: TestServer, seconds: number, addressOf: (i: number) => string | undefined) {
  let tries = 0;
  let refusal: Awaited<ReturnType<typeof checkCode>> | undefined;
  const found = await eventually(async () => {
    const checked = await checkCode(t, WRONG, addressOf(tries++));
    if (checked.status === 429 && (checked.json.error.retryAfterSeconds as number) >= seconds) refusal = checked;
    return refusal !== undefined;
  }, 30_000, 100);
  expect(found).toBe(true);
  return refusal as NonNullable<typeof refusal>;
}

const WAIT_MESSAGE = /^too many wrong codes, try again in \d+ seconds?$/;

describe('one address', () => {
  let t: TestServer;
  let code: string;
  const clients = new ClientPool(() => t.url);

  beforeAll(async () => {
    ({ t, code } = await serverWithInvitation());
  });
  afterAll(async () => {
    clients.closeAll();
    await t?.stop();
  });

  it('lets 30 right codes from one address in a minute through, on the page and when joining', async () => {
    for (let i = 0; i < 30; i++) {
      const checked = await checkCode(t, code, '198.51.100.1');
      expect(checked.status).toBe(200);
      expect(checked.json.room.name).toBe('Vertaisryhmä');
    }
    const guest = await clients.connect();
    for (let i = 0; i < 30; i++) {
      const joined = await guest.ok('joinRoom', { invitation: { code }, displayName: `Parent ${i}` });
      expect(joined).toMatchObject({ role: 'guest', admission: 'lobby' });
      await guest.ok('leaveRoom', {});
    }
  });

  it('lets ten wrong codes through, then makes the address wait, longer each time; even a right code waits', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const checked = await checkCode(t, WRONG, '203.0.113.10');
      statuses.push(checked.status);
      if (checked.status === 429) {
        expect(checked.json.error).toEqual({ code: 'rate-limited', message: expect.stringMatching(WAIT_MESSAGE), retryAfterSeconds: expect.any(Number) });
        expect(checked.retryAfter).toBe(String(checked.json.error.retryAfterSeconds));
      }
    }
    // Ten free, and the eleventh looked up too: it starts the first wait (1 s). Refused tries do
    // not count, so only a wait that ran out on a slow machine lets another one through.
    expect(statuses.slice(0, 11)).toEqual(Array<number>(11).fill(404));
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(15);

    // Each wrong code looked up after a wait doubles the next wait.
    const waits: number[] = [];
    for (let i = 0; i < 2; i++) {
      expect(await eventually(async () => (await checkCode(t, WRONG, '203.0.113.10')).status === 404, 20_000, 100)).toBe(true);
      const refused = await checkCode(t, WRONG, '203.0.113.10');
      expect(refused.status).toBe(429);
      waits.push(refused.json.error.retryAfterSeconds as number);
    }
    // (Exactly double in the guard's own tests, on its clock; here a busy machine may take a
    // second between a look-up and the next refusal.)
    expect(waits[0]).toBeGreaterThanOrEqual(1);
    expect(waits[1]).toBeGreaterThan(waits[0]!);

    // While the address waits a right code is refused too: the answer tells a guesser nothing.
    const rightWhileWaiting = await checkCode(t, code, '203.0.113.10');
    expect(rightWhileWaiting.status).toBe(429);
    expect(rightWhileWaiting.json.room).toBeUndefined();
    // Another address is not held back.
    expect((await checkCode(t, code, '203.0.113.11')).status).toBe(200);
    expect((await checkCode(t, WRONG, '203.0.113.11')).status).toBe(404);
  });

  it('takes the address the proxy saw, not one the client wrote into X-Forwarded-For', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await checkCode(t, WRONG, `192.0.2.${i}, 203.0.113.20`)).status);
    expect(statuses.slice(0, 11)).toEqual(Array<number>(11).fill(404));
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(5);
  });

  it('counts wrong codes on the page and joins by code together: one guard for the address', async () => {
    const guest = await clients.connect();
    for (let i = 0; i < 11; i++) expect((await checkCode(t, WRONG)).status).toBe(404);
    // A wait long enough that the join below surely falls within it, even on a busy machine.
    await wrongUntilWait(t, 8, () => undefined);
    // The same loopback address joins with the right code: held back, and told for how long.
    expect(await guest.request('joinRoom', { invitation: { code }, displayName: 'Pekka' })).toEqual({
      ok: false,
      error: { code: 'rate-limited', message: expect.stringMatching(WAIT_MESSAGE) },
    });
    // After the wait the right code joins.
    let admission: string | undefined;
    expect(
      await eventually(async () => {
        const reply = await guest.request('joinRoom', { invitation: { code }, displayName: 'Pekka' });
        if (reply.ok) admission = reply.data.admission;
        return reply.ok;
      }, 20_000, 100),
    ).toBe(true);
    expect(admission).toBe('lobby');
    await guest.ok('leaveRoom', {});
  });
});

describe('all addresses together', () => {
  let t: TestServer;
  let code: string;
  let token: string;
  const clients = new ClientPool(() => t.url);

  beforeAll(async () => {
    ({ t, code, token } = await serverWithInvitation());
  });
  afterAll(async () => {
    clients.closeAll();
    await t?.stop();
  });

  it('holds back every typed code after a hundred wrong ones from many addresses; links still work', async () => {
    const addressOf = (i: number) => `198.51.${100 + (i >> 8)}.${i & 255}`;
    // One wrong code each, far below any address's own allowance: a hundred are free, and the
    // hundred-and-first is looked up and starts everyone's first wait.
    for (let i = 0; i < 101; i++) expect((await checkCode(t, WRONG, addressOf(i))).status).toBe(404);
    // From here new addresses are refused; each wrong code looked up between waits doubles them.
    await wrongUntilWait(t, 4, (i) => addressOf(101 + i));

    const guest = await clients.connect();
    const fresh = await checkCode(t, code, '203.0.113.50');
    expect(fresh.status).toBe(429);
    expect(fresh.json.error).toMatchObject({ code: 'rate-limited', retryAfterSeconds: expect.any(Number) });
    expect(await guest.request('joinRoom', { invitation: { code }, displayName: 'Aino' })).toMatchObject({
      ok: false,
      error: { code: 'rate-limited' },
    });

    // A link carries a 128-bit token, not a code: never held back.
    const described = await fetch(`${t.url}/api/invitations/${token}`, { headers: { 'x-forwarded-for': '203.0.113.51' } });
    expect(described.status).toBe(200);
    expect(await guest.ok('joinRoom', { invitation: { token }, displayName: 'Aino' })).toMatchObject({ admission: 'lobby' });
    await guest.ok('leaveRoom', {});

    // The wait ends, and right codes go through again.
    expect(await eventually(async () => (await checkCode(t, code, '203.0.113.52')).status === 200, 20_000, 100)).toBe(true);
  });
});
