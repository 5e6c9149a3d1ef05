import { MediaServer, type RoomMedia } from '@tupa/media-server';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Peer, type PeerChannel, type ReleaseReason } from './Peer.ts';
import { freeUdpTcpPort } from '../../tests/support/ports.ts';

const logger = pino({ level: 'silent' });
let media: MediaServer;
let room: RoomMedia;

beforeEach(async () => {
  media = await MediaServer.start(
    { numWorkers: 1, listenIp: '127.0.0.1', announcedIp: '127.0.0.1', rtcPort: await freeUdpTcpPort() },
    logger,
  );
  room = await media.createRoomMedia('r');
});
afterEach(() => {
  vi.useRealTimers();
  media?.close();
});

class Channel implements PeerChannel {
  readonly released: ReleaseReason[] = [];
  closed = false;
  notify(): void {}
  release(reason: ReleaseReason): void {
    this.released.push(reason);
  }
  enterCall(): void {}
}

function newPeer(channel: PeerChannel = new Channel()): Peer {
  return new Peer({ id: 'p', displayName: 'Aino', role: 'guest', channel, media: room.createPeerMedia('p') });
}

describe('Peer owns its state', () => {
  it('closes its media once, however often it is closed', async () => {
    const peer = newPeer();
    await peer.media.createWebRtcTransport('send');
    expect(media.counts().transports).toBe(1);
    peer.close();
    peer.close();
    expect(peer.closed).toBe(true);
    expect(peer.media.closed).toBe(true);
    expect(media.counts().transports).toBe(0);
  });

  it('gives up its place when the away wait ends, once', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const peer = newPeer();
    const gone = vi.fn();
    peer.goAway(1000, gone);
    expect(peer.away).toBe(true);
    vi.advanceTimersByTime(999);
    expect(gone).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(gone).toHaveBeenCalledTimes(1);
    expect(peer.away).toBe(false);
    peer.close();
  });

  it('stops the away wait when it closes', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const peer = newPeer();
    const gone = vi.fn();
    peer.goAway(1000, gone);
    peer.close();
    expect(peer.away).toBe(false);
    vi.advanceTimersByTime(5000);
    expect(gone).not.toHaveBeenCalled();
    // A closed peer does not start waiting again.
    peer.goAway(1000, gone);
    expect(peer.away).toBe(false);
  });

  it('stops the away wait when it comes back, and tells the channel it replaced', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const first = new Channel();
    const peer = newPeer(first);
    const gone = vi.fn();
    peer.goAway(1000, gone);
    const second = new Channel();
    peer.comeBack(second);
    expect(peer.away).toBe(false);
    expect(peer.channel).toBe(second);
    expect(first.released).toEqual(['replaced']);
    vi.advanceTimersByTime(5000);
    expect(gone).not.toHaveBeenCalled();
    // Coming back on the same channel (a retried request) tells nobody anything.
    peer.comeBack(second);
    expect(second.released).toEqual([]);
    peer.close();
  });

  it('keeps its media for a returning tab only if the tab heard of every rebuild', async () => {
    const peer = newPeer();
    // Each rebuild is on a new router, as after a worker died.
    peer.replaceMedia((await media.createRoomMedia('r2')).createPeerMedia('p'));
    expect(peer.mediaKeepable).toBe(true);
    peer.goAway(60_000, () => {});
    peer.replaceMedia((await media.createRoomMedia('r3')).createPeerMedia('p'));
    expect(peer.mediaKeepable).toBe(false);
    peer.close();
    expect(media.counts().transports).toBe(0);
  });
});
