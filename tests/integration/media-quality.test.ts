import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opusParameters, vp8SimulcastParameters } from '../support/rtpFixtures.ts';
import { eventually, startTestServer, type TestServer } from '../support/server.ts';
import { TestClient } from '../support/signalingClient.ts';

const TURN_SECRET = 'a-shared-secret-of-enough-length';
let t: TestServer;
const clients: TestClient[] = [];

beforeAll(async () => {
  t = await startTestServer({
    env: { TURN_URLS: 'turn:turn.example.org:3478?transport=udp,turns:turn.example.org:5349', TURN_SECRET },
  });
});
afterAll(async () => {
  for (const c of clients) c.close();
  await t?.stop();
});

async function client(url = t.url): Promise<TestClient> {
  const c = await TestClient.connect(url);
  clients.push(c);
  return c;
}

async function newRoomId(url = t.url): Promise<string> {
  const response = await fetch(`${url}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  return ((await response.json()) as { roomId: string }).roomId;
}

/** Alice sends a simulcast camera and a microphone; Bob receives both. */
async function twoPeopleInACall(url = t.url) {
  const roomId = await newRoomId(url);
  const alice = await client(url);
  const bob = await client(url);
  const a = await alice.ok('joinRoom', { roomId, displayName: 'Aino' });
  const send = await alice.ok('createTransport', { direction: 'send' });
  const cam = await alice.ok('produce', { transportId: send.transportId, kind: 'video', source: 'camera', rtpParameters: vp8SimulcastParameters() });
  const mic = await alice.ok('produce', { transportId: send.transportId, kind: 'audio', source: 'microphone', rtpParameters: opusParameters() });
  const b = await bob.joinCall({ roomId, displayName: 'Eino' });
  const recv = await bob.ok('createTransport', { direction: 'recv' });
  const video = await bob.ok('consume', { transportId: recv.transportId, producerId: cam.producerId, rtpCapabilities: b.routerRtpCapabilities });
  const audio = await bob.ok('consume', { transportId: recv.transportId, producerId: mic.producerId, rtpCapabilities: b.routerRtpCapabilities });
  await bob.ok('resumeConsumer', { consumerId: video.consumerId });
  await bob.ok('resumeConsumer', { consumerId: audio.consumerId });
  return { roomId, alice, bob, a, b, send, recv, video, audio };
}

describe('media quality and recovery requests', () => {
  it('gives each admitted participant TURN credentials that coturn can verify', async () => {
    const roomId = await newRoomId();
    const c = await client();
    const joined = await c.joinCall({ roomId, displayName: 'Aino' });
    expect(joined.mediaKept).toBe(false);
    expect(joined.iceServers).toHaveLength(1);
    const server = joined.iceServers[0];
    expect(server?.urls).toEqual(['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:5349']);
    const [expiry, peerId] = (server?.username ?? '').split(':');
    expect(peerId).toBe(joined.peerId);
    const lifetime = Number(expiry) - Date.now() / 1000;
    expect(lifetime).toBeGreaterThan(6 * 3600 - 60);
    expect(lifetime).toBeLessThanOrEqual(6 * 3600);
    expect(server?.credential).toBe(createHmac('sha1', TURN_SECRET).update(server?.username ?? '').digest('base64'));
  });

  it('pauses hidden tiles, picks the simulcast layer from the tile height, and stops all video in audio-only mode', async () => {
    const { roomId, bob, b, video, audio } = await twoPeopleInACall();
    const media = t.server.registry.get(roomId)?.peer(b.peerId)?.media;
    if (!media) throw new Error('no peer media');
    expect(media.isConsumerPaused(video.consumerId)).toBe(false);

    await bob.ok('setConsumerPreferences', { consumerId: video.consumerId, visible: true, height: 150 });
    expect(media.preferredSpatialLayer(video.consumerId)).toBe(0);
    await bob.ok('setConsumerPreferences', { consumerId: video.consumerId, visible: true, height: 360 });
    expect(media.preferredSpatialLayer(video.consumerId)).toBe(1);
    await bob.ok('setConsumerPreferences', { consumerId: video.consumerId, visible: true, height: 1080 });
    expect(media.preferredSpatialLayer(video.consumerId)).toBe(2);

    await bob.ok('setConsumerPreferences', { consumerId: video.consumerId, visible: false });
    expect(media.isConsumerPaused(video.consumerId)).toBe(true);
    await bob.ok('setConsumerPreferences', { consumerId: video.consumerId, visible: true });
    expect(media.isConsumerPaused(video.consumerId)).toBe(false);

    await bob.ok('setReceiveVideo', { enabled: false });
    expect(media.isConsumerPaused(video.consumerId)).toBe(true);
    expect(media.isConsumerPaused(audio.consumerId)).toBe(false);
    // A tile becoming visible does not bring video back while audio-only is on.
    await bob.ok('setConsumerPreferences', { consumerId: video.consumerId, visible: true });
    expect(media.isConsumerPaused(video.consumerId)).toBe(true);
    await bob.ok('setReceiveVideo', { enabled: true });
    expect(media.isConsumerPaused(video.consumerId)).toBe(false);

    const unknown = await bob.request('setConsumerPreferences', { consumerId: 'nope', visible: true });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('restarts ICE with new credentials', async () => {
    const { alice, send } = await twoPeopleInACall();
    const restarted = await alice.ok('restartIce', { transportId: send.transportId });
    expect(restarted.iceParameters.usernameFragment).not.toBe(send.iceParameters.usernameFragment);
    expect(restarted.iceParameters.password).not.toBe(send.iceParameters.password);
  });

  it('moves a room to a new worker when its worker is killed, and tells everyone to rebuild', async () => {
    const { roomId, alice, bob } = await twoPeopleInACall();
    const pid = (await t.server.media.workerStats())[0]?.pid ?? 0;
    process.kill(pid, 'SIGKILL');
    expect(await eventually(() => alice.notifications('mediaReset').length === 1 && bob.notifications('mediaReset').length === 1, 10_000)).toBe(true);
    expect(t.server.registry.get(roomId)?.size).toBe(2);
    const reset = alice.notifications('mediaReset')[0];
    expect(reset?.routerRtpCapabilities.codecs?.some((c) => c.mimeType === 'video/VP8')).toBe(true);
    // Media can be built again on the new worker.
    const send = await alice.ok('createTransport', { direction: 'send' });
    await alice.ok('produce', { transportId: send.transportId, kind: 'audio', source: 'microphone', rtpParameters: opusParameters() });
    expect(await eventually(() => bob.notifications('producerAdded').length === 1)).toBe(true);
    expect((await t.server.media.workerStats())[0]?.pid).not.toBe(pid);
  });
});

describe('reconnection grace and drain', () => {
  let graceful: TestServer;
  beforeAll(async () => {
    graceful = await startTestServer({ env: { RECONNECT_GRACE_SECONDS: '2', DRAIN_TIMEOUT_SECONDS: '30' } });
  });
  afterAll(async () => {
    await graceful?.stop();
  });

  it('keeps a dropped participant and their media, and lets the same tab resume them', async () => {
    const { roomId, alice, bob, a, b } = await twoPeopleInACall(graceful.url);
    const before = graceful.server.mediaCounts();
    alice.close();
    expect(await eventually(() => bob.notifications('peerConnectionState').length === 1)).toBe(true);
    expect(bob.notifications('peerConnectionState')[0]).toEqual({ peerId: a.peerId, state: 'reconnecting' });
    expect(bob.notifications('peerLeft')).toEqual([]);
    expect(graceful.server.mediaCounts()).toEqual(before);

    // Someone joining meanwhile learns at once that Aino is reconnecting, and who is speaking.
    graceful.server.registry.get(roomId)?.media.emit('activespeaker', b.peerId);
    const newcomer = await client(graceful.url);
    const seen = await newcomer.joinCall({ roomId, displayName: 'Cai' });
    expect(seen.activeSpeaker).toBe(b.peerId);
    expect(seen.peers.find((p) => p.peerId === a.peerId)).toMatchObject({ reconnecting: true, role: 'guest', handRaised: false });
    expect(seen.peers.find((p) => p.peerId === b.peerId)?.reconnecting).toBe(false);
    await newcomer.ok('leaveRoom', {});

    const again = await client(graceful.url);
    const resumed = await again.joinCall({
      roomId,
      displayName: 'Aino',
      resume: { peerId: a.peerId, secret: a.resumeSecret, keepMedia: true },
    });
    expect(resumed.peerId).toBe(a.peerId);
    expect(resumed.mediaKept).toBe(true);
    expect(resumed.peers.map((p) => p.peerId)).toEqual([b.peerId]);
    expect(graceful.server.mediaCounts()).toEqual(before);
    expect(await eventually(() => bob.notifications('peerConnectionState').length === 2)).toBe(true);
    expect(bob.notifications('peerConnectionState')[1]).toEqual({ peerId: a.peerId, state: 'connected' });
    // No second tile: Bob never heard of a new participant.
    expect(bob.notifications('peerJoined').filter((n) => n.peer.peerId === a.peerId)).toEqual([]);
    again.close();
    bob.close();
  });

  it('drains: not ready at once, new joins refused with a reason, running calls go on until they end', async () => {
    const roomId = await newRoomId(graceful.url);
    const inCall = await client(graceful.url);
    await inCall.ok('joinRoom', { roomId, displayName: 'Aino' });
    let drained = false;
    const draining = graceful.server.drain().then(() => {
      drained = true;
    });
    const ready = await fetch(`${graceful.url}/readyz`);
    expect(ready.status).toBe(503);
    const late = await client(graceful.url);
    const refused = await late.request('joinRoom', { roomId, displayName: 'Late' });
    expect(refused).toEqual({ ok: false, error: { code: 'invalid-state', message: 'server restarting', reason: 'server-draining' } });
    // The running call still works.
    const transport = await inCall.request('createTransport', { direction: 'recv' });
    expect(transport.ok).toBe(true);
    expect(drained).toBe(false);
    await inCall.ok('leaveRoom', {});
    await draining;
    expect(drained).toBe(true);
  });
});
