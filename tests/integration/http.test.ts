import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.ts';
import { TestClient } from '../support/signalingClient.ts';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.stop();
});

describe('HTTP API', () => {
  it('creates a room with a 128-bit id and finds it again', async () => {
    const created = await fetch(`${t.url}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(created.status).toBe(201);
    const body = (await created.json()) as { roomId: string; path: string };
    expect(body.roomId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(body.path).toBe(`/r/${body.roomId}`);
    const found = await fetch(`${t.url}/api/rooms/${body.roomId}`);
    expect(found.status).toBe(200);
    expect(await found.json()).toEqual({ roomId: body.roomId });
  });

  it('refuses changes requested by another site', async () => {
    const response = await fetch(`${t.url}/api/rooms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: '{}',
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('forbidden');
  });

  it('answers unknown rooms and endpoints with a JSON not-found', async () => {
    for (const path of ['/api/rooms/AAAAAAAAAAAAAAAAAAAAAA', '/api/rooms/not-an-id', '/api/nothing-here']) {
      const response = await fetch(`${t.url}${path}`);
      expect(response.status, path).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not-found');
    }
  });

  it('answers a malformed body with a 400 and a clear error, and stays up', async () => {
    const response = await fetch(`${t.url}/api/rooms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"broken": ',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('validation');
    const big = await fetch(`${t.url}/api/rooms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ padding: 'x'.repeat(100_000) }),
    });
    expect(big.status).toBe(413);
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  });

  it('sends privacy and security headers', async () => {
    const response = await fetch(`${t.url}/api/rooms/AAAAAAAAAAAAAAAAAAAAAA`);
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('permissions-policy')).toContain('camera=(self)');
  });

  it('reports health and readiness, and readiness fails once stopping', async () => {
    expect(await (await fetch(`${t.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: true, media: true, accepting: true } });
  });

  it('exposes Prometheus metrics for rooms, media, worker CPU, event-loop lag and request latency', async () => {
    const created = await fetch(`${t.url}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const { roomId } = (await created.json()) as { roomId: string };
    const client = await TestClient.connect(t.url);
    await client.ok('joinRoom', { roomId, displayName: 'Aino' });
    await client.ok('createTransport', { direction: 'recv' });
    const response = await fetch(`${t.url}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value('tupa_rooms')).toBe(1);
    expect(value('tupa_peers')).toBe(1);
    expect(value('tupa_media_transports')).toBe(1);
    expect(value('tupa_media_workers')).toBe(1);
    expect(text).toMatch(/^tupa_media_worker_cpu_seconds_total\{worker="0"\} [0-9.e-]+$/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds [0-9.e-]+$/m);
    expect(text).toMatch(/^tupa_signaling_request_duration_seconds_count\{request="joinRoom",outcome="ok"\} 1$/m);
    client.close();
  });
});

describe('HTTP API with the default settings', () => {
  let fresh: TestServer;
  beforeAll(async () => {
    // '' is "not set": the organisation has not turned open rooms on.
    fresh = await startTestServer({ env: { TUPA_OPEN_ROOMS: '' } });
  });
  afterAll(async () => {
    await fresh?.stop();
  });

  it('refuses to create open rooms from the start page, says why, and creates nothing', async () => {
    const refused = await fetch(`${fresh.url}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('open-rooms-off');
    expect(await fresh.server.db.rooms.list({ includeArchived: true })).toEqual([]);
  });

  it('closes an open room made while the setting was on: its link leads nowhere and nobody gets in by it', async () => {
    const earlier = await fresh.server.db.rooms.create();
    expect((await fetch(`${fresh.url}/api/rooms/${earlier.id}`)).status).toBe(404);
    const client = await TestClient.connect(fresh.url);
    try {
      const refused = await client.request('joinRoom', { roomId: earlier.id, displayName: 'Aino' });
      expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden', reason: 'invitation-required' } });
      expect(fresh.server.registry.size).toBe(0);
    } finally {
      client.close();
    }
  });
});
