import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpSession } from '../support/httpClient.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.stop();
});

/** A browser tab on this server. */
class Browser extends HttpSession {
  constructor() {
    super(t.url);
  }
}

const coordinator = { email: 'Kaisa@Example.org', displayName: 'Kaisa', password: 'a long enough passphrase' };

describe('staff accounts and sessions', () => {
  it('lets the first coordinator be created once, through setup, and signs them in', async () => {
    const browser = new Browser();
    expect((await browser.send('GET', '/api/auth/setup')).json).toEqual({ open: true });
    const tooShort = await browser.send('POST', '/api/auth/setup', { ...coordinator, password: 'short' });
    expect(tooShort.status).toBe(400);
    const created = await browser.send('POST', '/api/auth/setup', coordinator);
    expect(created.status).toBe(201);
    expect(created.json.staff).toMatchObject({ email: 'kaisa@example.org', role: 'coordinator' });
    expect(created.setCookie).toMatch(/^tupa_session=[A-Za-z0-9_-]{22};.*httponly/i);
    expect(created.setCookie).toMatch(/samesite=lax/i);
    const again = await new Browser().send('POST', '/api/auth/setup', { ...coordinator, email: 'other@example.org' });
    expect(again.status).toBe(403);
    expect((await browser.send('GET', '/api/auth/setup')).json).toEqual({ open: false });
  });

  it('stores passwords as argon2id with at least 19 MiB, 2 passes, 1 lane', async () => {
    const rows = await t.server.db.sequelize.query<{ password_hash: string }>('SELECT password_hash FROM staff_users', {
      type: QueryTypes.SELECT,
    });
    expect(rows[0]?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
  });

  it('refuses a wrong password, signs in with the right one, rotates the session, and logs out', async () => {
    const browser = new Browser();
    expect((await browser.send('POST', '/api/auth/login', { email: coordinator.email, password: 'wrong password!' })).status).toBe(401);
    expect((await browser.send('POST', '/api/auth/login', { email: 'nobody@example.org', password: 'wrong password!' })).status).toBe(401);
    const first = await browser.send('POST', '/api/auth/login', { email: ' KAISA@example.org ', password: coordinator.password });
    expect(first.status).toBe(200);
    const firstCookie = browser.cookie;
    expect((await browser.send('GET', '/api/auth/me')).json.staff).toMatchObject({ displayName: 'Kaisa' });
    // Signing in again gives a new session id and ends the old one.
    await browser.send('POST', '/api/auth/login', { email: coordinator.email, password: coordinator.password });
    expect(browser.cookie).not.toBe(firstCookie);
    const stale = new Browser();
    stale.cookie = firstCookie;
    expect((await stale.send('GET', '/api/auth/me')).status).toBe(401);
    // Logging out ends the session on the server, not only in the browser.
    const current = browser.cookie;
    expect((await browser.send('POST', '/api/auth/logout')).status).toBe(204);
    const replay = new Browser();
    replay.cookie = current;
    expect((await replay.send('GET', '/api/auth/me')).status).toBe(401);
  });

  it('requires the CSRF token and a same-site origin for changes, and lets only coordinators manage staff', async () => {
    const browser = new Browser();
    await browser.send('POST', '/api/auth/login', { email: coordinator.email, password: coordinator.password });
    const host = { email: 'ville@example.org', displayName: 'Ville', role: 'host', password: 'another long passphrase' };
    const token = browser.csrf;
    browser.csrf = '';
    expect((await browser.send('POST', '/api/staff', host)).status).toBe(403);
    browser.csrf = 'wrong';
    expect((await browser.send('POST', '/api/staff', host)).status).toBe(403);
    browser.csrf = token;
    expect((await browser.send('POST', '/api/staff', host, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await browser.send('GET', '/api/staff')).json.staff).toHaveLength(1);
    const created = await browser.send('POST', '/api/staff', host);
    expect(created.status).toBe(201);
    expect((await browser.send('POST', '/api/staff', host)).status).toBe(409);

    const hostBrowser = new Browser();
    await hostBrowser.send('POST', '/api/auth/login', { email: host.email, password: host.password });
    expect((await hostBrowser.send('GET', '/api/staff')).status).toBe(403);
    const refused = await hostBrowser.send('POST', '/api/staff', { ...host, email: 'x@example.org', role: 'coordinator' });
    expect(refused.status).toBe(403);
    expect((await new Browser().send('GET', '/api/staff')).status).toBe(401);
    expect((await browser.send('GET', '/api/staff')).json.staff).toHaveLength(2);
  });

  it("lets a signed-in browser do what anyone may do from the start page without the session's token, same-site only", async () => {
    const browser = new Browser();
    await browser.send('POST', '/api/auth/login', { email: coordinator.email, password: coordinator.password });
    browser.csrf = '';
    // Typing a code while signed in: looked up like anyone's (this one is simply unknown).
    expect((await browser.send('POST', '/api/invitations/by-code', { code: 'AAAAA-AAAAA' })).status).toBe(404);
    expect((await browser.send('POST', '/api/invitations/by-code', { code: 'AAAAA-AAAAA' }, { origin: 'https://evil.example' })).status).toBe(403);
    // Starting a room from the start page while signed in (open rooms are on in tests).
    expect((await browser.send('POST', '/api/rooms')).status).toBe(201);
    // The session's own changes still need the token.
    expect((await browser.send('POST', '/api/staff', { email: 'y@example.org', displayName: 'Y', role: 'host', password: 'a long enough passphrase' })).status).toBe(403);
  });

  it('rate-limits guessing at one account', async () => {
    const browser = new Browser();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push((await browser.send('POST', '/api/auth/login', { email: 'target@example.org', password: `guess number ${i}` })).status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });

  it('creates an account from the command line', async () => {
    const root = join(import.meta.dirname, '..', '..');
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'server/src/cli/admin.ts', 'create-user', '--email', 'cli@example.org', '--name', 'Cli', '--role', 'host'],
      {
        cwd: root,
        encoding: 'utf8',
        input: 'a passphrase from stdin\n',
        env: { ...process.env, DATABASE_URL: t.server.config.databaseUrl, TUPA_ADMIN_PASSWORD: '' },
      },
    );
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('Created host cli@example.org.');
    const browser = new Browser();
    expect((await browser.send('POST', '/api/auth/login', { email: 'cli@example.org', password: 'a passphrase from stdin' })).status).toBe(200);
  });
});
