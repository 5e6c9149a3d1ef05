import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MediaInvalidStateError, MediaNotFoundError } from './errors.ts';
import { MediaServer } from './MediaServer.ts';
import { freeUdpTcpPort as freePort } from '../../tests/support/ports.ts';
import { opus, silentLogger } from './testing.ts';

let media: MediaServer;

beforeEach(async () => {
  media = await MediaServer.start(
    { numWorkers: 1, listenIp: '127.0.0.1', announcedIp: '127.0.0.1', rtcPort: await freePort() },
    silentLogger,
  );
});
afterEach(() => media?.close());

const zero = { routers: 0, transports: 0, producers: 0, consumers: 0 };

describe('MediaServer with a real worker', () => {
  it('closing a peer closes its transports, producers and consumers, in the maps and in the worker', async () => {
    const room = await media.createRoomMedia('room-1');
    const alice = room.createPeerMedia('alice');
    const bob = room.createPeerMedia('bob');
    const send = await alice.createWebRtcTransport('send');
    const producer = await alice.produce({ transportId: send.transportId, kind: 'audio', source: 'microphone', rtpParameters: opus });
    const recv = await bob.createWebRtcTransport('recv');
    const consumer = await bob.consume({
      transportId: recv.transportId,
      producerId: producer.producerId,
      rtpCapabilities: room.rtpCapabilities,
    });
    expect(consumer.producerPeerId).toBe('alice');
    expect(media.counts()).toEqual({ routers: 1, transports: 2, producers: 1, consumers: 1 });
    expect(await media.workerCounts()).toEqual({ routers: 1, transports: 2, producers: 1, consumers: 1 });

    // The worker tells the consumer its producer is gone; that arrives asynchronously.
    const closed = new Promise((resolve) => bob.once('consumerclosed', (info) => resolve(info.consumerId)));
    alice.close();
    alice.close(); // idempotent
    expect(await closed).toBe(consumer.consumerId);
    expect(media.counts()).toEqual({ routers: 1, transports: 1, producers: 0, consumers: 0 });

    bob.close();
    room.close();
    expect(media.counts()).toEqual(zero);
    expect(await media.workerCounts()).toEqual(zero);
  });

  it('offers UDP and TCP candidates on the fixed port', async () => {
    const room = await media.createRoomMedia('room-2');
    const peer = room.createPeerMedia('p');
    const params = await peer.createWebRtcTransport('send');
    const protocols = params.iceCandidates.map((c) => c.protocol).sort();
    expect(protocols).toEqual(['tcp', 'udp']);
    expect(new Set(params.iceCandidates.map((c) => c.port)).size).toBe(1);
    expect(params.iceCandidates[0]?.ip).toBe('127.0.0.1');
  });

  it('refuses wrong use with typed errors', async () => {
    const room = await media.createRoomMedia('room-3');
    const pidBefore = (await media.workerStats())[0]?.pid;
    const peer = room.createPeerMedia('p');
    const send = await peer.createWebRtcTransport('send');
    const recv = await peer.createWebRtcTransport('recv');
    await expect(peer.connectTransport('nope', { fingerprints: [] })).rejects.toBeInstanceOf(MediaNotFoundError);
    await expect(
      peer.produce({ transportId: recv.transportId, kind: 'audio', source: 'microphone', rtpParameters: opus }),
    ).rejects.toBeInstanceOf(MediaInvalidStateError);
    const own = await peer.produce({ transportId: send.transportId, kind: 'audio', source: 'microphone', rtpParameters: opus });
    await expect(
      peer.consume({ transportId: recv.transportId, producerId: own.producerId, rtpCapabilities: room.rtpCapabilities }),
    ).rejects.toBeInstanceOf(MediaInvalidStateError);
    await expect(
      peer.produce({ transportId: send.transportId, kind: 'audio', source: 'microphone', rtpParameters: opus }),
    ).rejects.toThrow(/exists already/);
    // Invalid RTP parameters are mediasoup's TypeError, and the worker stays up.
    await expect(
      peer.produce({ transportId: send.transportId, kind: 'video', source: 'camera', rtpParameters: { codecs: [], encodings: [] } as never }),
    ).rejects.toBeInstanceOf(TypeError);
    expect((await media.workerStats()).map((w) => w.pid)).toEqual([pidBefore]);
    room.close();
    expect(() => room.createPeerMedia('late')).toThrow(MediaInvalidStateError);
  });

  it('reports each worker as plain numbers: its process, CPU time, peak memory and routers', async () => {
    const room = await media.createRoomMedia('room-stats');
    const stats = await media.workerStats();
    expect(stats).toEqual([
      {
        index: 0,
        pid: expect.any(Number),
        cpuUserMs: expect.any(Number),
        cpuSystemMs: expect.any(Number),
        maxRssKb: expect.any(Number),
        routers: 1,
      },
    ]);
    const worker = stats[0]!;
    // The pid is a live process other than this one, and a started worker has used memory.
    expect(worker.pid).not.toBe(process.pid);
    expect(() => process.kill(worker.pid, 0)).not.toThrow();
    expect(worker.maxRssKb).toBeGreaterThan(1000);
    // Plain data: survives a structured clone unchanged (no mediasoup object inside).
    expect(structuredClone(stats)).toEqual(stats);
    room.close();
    expect((await media.workerStats())[0]?.routers).toBe(0);
  });

  it('replaces a worker killed with SIGKILL and closes the rooms it held', async () => {
    const room = await media.createRoomMedia('room-4');
    const [killed] = await media.workerStats();
    if (!killed) throw new Error('no worker');
    const closedWith = new Promise((resolve) => room.once('close', resolve));
    process.kill(killed.pid, 'SIGKILL');
    expect(await closedWith).toBe('worker-died');
    // A new process takes the same slot.
    await expect
      .poll(async () => (await media.workerStats()).map((w) => ({ index: w.index, replaced: w.pid !== killed.pid })), { timeout: 10_000 })
      .toEqual([{ index: 0, replaced: true }]);
    expect(media.workerCount).toBe(1);
    // The new worker serves new rooms on the same port.
    const again = await media.createRoomMedia('room-5');
    const params = await again.createPeerMedia('p').createWebRtcTransport('recv');
    expect(params.iceCandidates.length).toBe(2);
    expect(media.counts()).toEqual({ routers: 1, transports: 1, producers: 0, consumers: 0 });
  });
});
