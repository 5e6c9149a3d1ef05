import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freeUdpTcpPort as freePort } from '../../tests/support/ports.ts';
import { MediaInvalidStateError, MediaNotFoundError } from './errors.ts';
import { MediaServer } from './MediaServer.ts';
import type { PeerMedia } from './PeerMedia.ts';
import type { RoomMedia } from './RoomMedia.ts';
import { clientDtls, opus, silentLogger, vp8 } from './testing.ts';

// Requests that repeat, cross, or race with their object closing. Each race here is made
// deterministic by sending the request and closing in the same turn: the request then reaches
// the worker first, and its answer arrives after the object closed on the Node side.

let media: MediaServer;
let room: RoomMedia;

beforeEach(async () => {
  media = await MediaServer.start(
    { numWorkers: 1, listenIp: '127.0.0.1', announcedIp: '127.0.0.1', rtcPort: await freePort() },
    silentLogger,
  );
  room = await media.createRoomMedia('room');
});
afterEach(() => media?.close());

const zero = { routers: 0, transports: 0, producers: 0, consumers: 0 };

/** Everything closed: nothing left in Tupa's maps nor in the worker. */
async function expectNothingLeft(): Promise<void> {
  room.close();
  expect(media.counts()).toEqual(zero);
  expect(await media.workerCounts()).toEqual(zero);
}

/** Alice sends a microphone and a camera; Bob has a consumer of each. */
async function aliceToBob() {
  const alice = room.createPeerMedia('alice');
  const bob = room.createPeerMedia('bob');
  const send = await alice.createWebRtcTransport('send');
  const mic = await alice.produce({ transportId: send.transportId, kind: 'audio', source: 'microphone', rtpParameters: opus });
  const cam = await alice.produce({ transportId: send.transportId, kind: 'video', source: 'camera', rtpParameters: vp8 });
  const recv = await bob.createWebRtcTransport('recv');
  const consume = (producerId: string) => bob.consume({ transportId: recv.transportId, producerId, rtpCapabilities: room.rtpCapabilities });
  const audio = await consume(mic.producerId);
  const video = await consume(cam.producerId);
  return { alice, bob, send, recv, mic, cam, audio, video, consume };
}

/** Settles every promise; returns what each did (value or error) in order. */
async function settle<T>(promises: Promise<T>[]): Promise<Array<{ ok: true; value: T } | { ok: false; error: unknown }>> {
  const results = await Promise.allSettled(promises);
  return results.map((r) => (r.status === 'fulfilled' ? { ok: true, value: r.value } : { ok: false, error: r.reason }));
}

describe('PeerMedia under repeated and racing requests', () => {
  it('connects a transport once: a second connect, in a row or in flight, is invalid-state', async () => {
    const peer = room.createPeerMedia('p');
    const first = await peer.createWebRtcTransport('send');
    await peer.connectTransport(first.transportId, clientDtls);
    // dtlsState stays 'new' until ICE completes, so it alone cannot tell.
    await expect(peer.connectTransport(first.transportId, clientDtls)).rejects.toBeInstanceOf(MediaInvalidStateError);

    const second = await peer.createWebRtcTransport('recv');
    const both = await settle([peer.connectTransport(second.transportId, clientDtls), peer.connectTransport(second.transportId, clientDtls)]);
    expect(both[0]?.ok).toBe(true);
    expect(both[1]).toMatchObject({ ok: false, error: expect.any(MediaInvalidStateError) });
    await expectNothingLeft();
  });

  it('lets a connect refused for its parameters be tried again', async () => {
    const peer = room.createPeerMedia('p');
    const { transportId } = await peer.createWebRtcTransport('send');
    const bad = { role: 'client' as const, fingerprints: [{ algorithm: 'sha-999', value: 'AB' }] };
    await expect(peer.connectTransport(transportId, bad as never)).rejects.toBeInstanceOf(TypeError);
    await peer.connectTransport(transportId, clientDtls);
  });

  it('keeps to the transport limit when creations are in flight together', async () => {
    const peer = room.createPeerMedia('p');
    const results = await settle(Array.from({ length: 6 }, () => peer.createWebRtcTransport('recv')));
    expect(results.filter((r) => r.ok)).toHaveLength(4);
    for (const r of results.filter((r) => !r.ok)) expect(r.error).toBeInstanceOf(MediaInvalidStateError);
    expect(peer.counts().transports).toBe(4);
    expect(await media.workerCounts()).toMatchObject({ transports: 4 });
    await expectNothingLeft();
  });

  it('refuses a second source that reuses the first one\'s RTP streams with invalid-state', async () => {
    const peer = room.createPeerMedia('p');
    const { transportId } = await peer.createWebRtcTransport('send');
    await peer.produce({ transportId, kind: 'audio', source: 'microphone', rtpParameters: opus });
    const clash = peer.produce({ transportId, kind: 'audio', source: 'screen-audio', rtpParameters: opus });
    await expect(clash).rejects.toBeInstanceOf(MediaInvalidStateError);
    expect(peer.counts().producers).toBe(1);
    expect(await media.workerCounts()).toMatchObject({ producers: 1 });
    await expectNothingLeft();
  });

  it('makes one producer per source when the same produce is in flight twice', async () => {
    const peer = room.createPeerMedia('p');
    const { transportId } = await peer.createWebRtcTransport('send');
    const request = { transportId, kind: 'audio' as const, source: 'microphone', rtpParameters: opus };
    const both = await settle([peer.produce(request), peer.produce(request)]);
    expect(both[0]?.ok).toBe(true);
    expect(both[1]).toMatchObject({ ok: false, error: expect.any(MediaInvalidStateError) });
    expect(peer.counts().producers).toBe(1);
    expect(await media.workerCounts()).toMatchObject({ producers: 1 });
    await expectNothingLeft();
  });

  it('closes what the worker made for a peer that closed while it was asked', async () => {
    const alice = room.createPeerMedia('alice');
    const bob = room.createPeerMedia('bob');
    const send = await alice.createWebRtcTransport('send');
    const mic = await alice.produce({ transportId: send.transportId, kind: 'audio', source: 'microphone', rtpParameters: opus });
    const recv = await bob.createWebRtcTransport('recv');
    await bob.connectTransport(recv.transportId, clientDtls);

    const produce = alice.produce({ transportId: send.transportId, kind: 'video', source: 'camera', rtpParameters: vp8 });
    const transport = alice.createWebRtcTransport('recv');
    const restart = alice.restartIce(send.transportId);
    alice.close();
    await expect(produce).rejects.toBeInstanceOf(MediaInvalidStateError);
    await expect(transport).rejects.toBeInstanceOf(MediaInvalidStateError);
    await expect(restart).rejects.toBeInstanceOf(MediaInvalidStateError);

    const consume = bob.consume({ transportId: recv.transportId, producerId: mic.producerId, rtpCapabilities: room.rtpCapabilities });
    await expect(consume).rejects.toBeInstanceOf(MediaNotFoundError); // her microphone went with her
    const late = bob.createWebRtcTransport('send');
    bob.close();
    await expect(late).rejects.toBeInstanceOf(MediaInvalidStateError);
    expect(media.counts()).toEqual({ routers: 1, transports: 0, producers: 0, consumers: 0 });
    expect(await media.workerCounts()).toEqual({ routers: 1, transports: 0, producers: 0, consumers: 0 });
    await expectNothingLeft();
  });

  it('closes a consumer whose producer closed while the consumer was being made', async () => {
    const { alice, bob, mic, audio, consume } = await aliceToBob();
    const earlierClosed = new Promise((resolve) => bob.once('consumerclosed', (info) => resolve(info.consumerId)));
    const again = consume(mic.producerId);
    alice.closeProducer(mic.producerId);
    await expect(again).rejects.toBeInstanceOf(MediaNotFoundError);
    // The consumer made before the close goes when the worker says so; the new one never was.
    expect(await earlierClosed).toBe(audio.consumerId);
    expect(bob.counts().consumers).toBe(1); // the camera's
    expect(await media.workerCounts()).toMatchObject({ producers: 1, consumers: 1 });
    await expectNothingLeft();
  });

  it('answers not-found for a consumer whose producer just closed, before the worker says so', async () => {
    const { alice, bob, mic, cam, audio, video } = await aliceToBob();
    // Sent after the close: the worker no longer has the consumer, yet Node has not heard.
    alice.closeProducer(mic.producerId);
    await expect(bob.resumeConsumer(audio.consumerId)).rejects.toBeInstanceOf(MediaNotFoundError);
    // In flight when the producer closes: the worker did it, but the consumer is gone.
    const resume = bob.resumeConsumer(video.consumerId);
    const prefs = bob.setConsumerPreferences(video.consumerId, false, 360);
    alice.closeProducer(cam.producerId);
    await expect(resume).rejects.toBeInstanceOf(MediaNotFoundError);
    await expect(prefs).rejects.toBeInstanceOf(MediaNotFoundError);
    await expectNothingLeft();
  });

  it('switches video off for everyone left even when a consumer has just lost its producer', async () => {
    const { alice, bob, cam, audio, video } = await aliceToBob();
    await bob.resumeConsumer(audio.consumerId);
    await bob.resumeConsumer(video.consumerId);
    alice.closeProducer(cam.producerId);
    // Asks the worker about the camera's consumer, which the worker has closed already.
    await bob.setReceiveVideo(false);
    await bob.setReceiveVideo(true);
    expect(bob.isConsumerPaused(audio.consumerId)).toBe(false);
    await expectNothingLeft();
  });

  it('answers not-found to a producer pause that crosses its close, so no pause is announced', async () => {
    const { alice, mic } = await aliceToBob();
    const pause = alice.setProducerPaused(mic.producerId, true);
    alice.closeProducer(mic.producerId);
    await expect(pause).rejects.toBeInstanceOf(MediaNotFoundError);
    expect(() => alice.closeProducer(mic.producerId)).toThrow(MediaNotFoundError);
    await expectNothingLeft();
  });

  it('pauses and resumes idempotently, in a row and in flight together', async () => {
    const { alice, bob, cam, video } = await aliceToBob();
    expect((await alice.setProducerPaused(cam.producerId, true)).paused).toBe(true);
    expect((await alice.setProducerPaused(cam.producerId, true)).paused).toBe(true);
    await Promise.all([alice.setProducerPaused(cam.producerId, false), alice.setProducerPaused(cam.producerId, false)]);
    expect(alice.producers().find((p) => p.producerId === cam.producerId)?.paused).toBe(false);

    await Promise.all([bob.resumeConsumer(video.consumerId), bob.resumeConsumer(video.consumerId)]);
    expect(bob.isConsumerPaused(video.consumerId)).toBe(false);
    await bob.resumeConsumer(video.consumerId);
    expect(bob.isConsumerPaused(video.consumerId)).toBe(false);
    await expectNothingLeft();
  });

  it('ends in the state of the last request when a resume and a hide cross', async () => {
    const { bob, video } = await aliceToBob();
    // Both decided before either answer arrives: the hide must not read the stale 'paused'.
    await Promise.all([bob.resumeConsumer(video.consumerId), bob.setConsumerPreferences(video.consumerId, false)]);
    expect(bob.isConsumerPaused(video.consumerId)).toBe(true);
    await Promise.all([bob.setConsumerPreferences(video.consumerId, true), bob.setReceiveVideo(false)]);
    expect(bob.isConsumerPaused(video.consumerId)).toBe(true);
    await Promise.all([bob.setReceiveVideo(true), bob.setConsumerPreferences(video.consumerId, true)]);
    expect(bob.isConsumerPaused(video.consumerId)).toBe(false);
    await expectNothingLeft();
  });

  it('answers a request on a replaced peer with invalid-state and on a closed object with not-found', async () => {
    const { alice, bob, send, recv, mic, audio } = await aliceToBob();
    alice.closeProducer(mic.producerId);
    await expect(alice.setProducerPaused(mic.producerId, true)).rejects.toBeInstanceOf(MediaNotFoundError);
    bob.close();
    await expect(bob.resumeConsumer(audio.consumerId)).rejects.toBeInstanceOf(MediaInvalidStateError);
    await expect(bob.connectTransport(recv.transportId, clientDtls)).rejects.toBeInstanceOf(MediaInvalidStateError);
    await expect(bob.setReceiveVideo(false)).rejects.toBeInstanceOf(MediaInvalidStateError);
    alice.close();
    await expect(alice.restartIce(send.transportId)).rejects.toBeInstanceOf(MediaInvalidStateError);
    await expectNothingLeft();
  });
});
