import type { CallEntry, JoinReply } from '@tupa/signaling/protocol';
import { describe, expect, it } from 'vitest';
import { Entrance } from './Entrance.ts';
import type { Participants } from './Participants.svelte.ts';
import { RoomPlace } from './RoomPlace.svelte.ts';
import type { SessionMedia } from './SessionMedia.svelte.ts';
import { RequestError, type SignalingClient } from './signalingClient.ts';

const storytime = { version: 1, book: null, page: 1, turnerId: null, readerId: null } as unknown as CallEntry['storytime'];

function entry(peerId: string): CallEntry {
  return {
    peerId,
    resumeSecret: `${peerId}-secret`,
    routerRtpCapabilities: { codecs: [], headerExtensions: [] } as unknown as CallEntry['routerRtpCapabilities'],
    iceServers: [],
    peers: [],
    activeSpeaker: null,
    storytime,
    game: null,
  };
}

const joinedAnswer = (peerId: string, mediaKept = false): JoinReply => ({
  ...entry(peerId),
  admission: 'in',
  mediaKept,
  role: 'guest',
  room: {} as JoinReply['room'],
  hostPresent: true,
});

/**
 * An Entrance over a real RoomPlace and recording fakes: the connection answers joinRoom with
 * the next of `answers`; the media records builds, catch-ups and drops.
 */
function entranceWith(answers: (JoinReply | RequestError)[], options: { keptMedia?: boolean; buildFails?: Error } = {}) {
  const log: string[] = [];
  const connected = { value: true };
  const connection = {
    get connected() {
      return connected.value;
    },
    whenConnected: async () => {},
    request: async () => {
      const answer = answers.shift();
      if (answer instanceof RequestError) throw answer;
      return answer;
    },
  } as unknown as SignalingClient;
  const current = options.keptMedia ? { closed: false } : null;
  const media = {
    current,
    set iceServers(_servers: unknown) {
      log.push('ice');
    },
    drop: () => log.push('drop'),
    catchUp: () => log.push('catch-up'),
    build: async () => {
      log.push('build');
      if (options.buildFails) throw options.buildFails;
    },
  } as unknown as SessionMedia;
  const participants = {
    reconcile: (_peers: unknown, how: { announce: boolean; mediaKept: boolean }) =>
      log.push(`reconcile announce=${how.announce} kept=${how.mediaKept}`),
  } as unknown as Participants;
  const place = new RoomPlace('room-1', null, () => {});
  const entrance = new Entrance({
    roomId: 'room-1',
    place,
    media,
    participants,
    connection: () => connection,
    onAnswer: (reply) => log.push(`answer ${reply.admission}`),
    onEntry: (e) => log.push(`entry ${e.peerId}`),
  });
  return { entrance, place, log, connected };
}

const always = () => true;

describe('Entrance', () => {
  it('enters the call the same way whether a join was answered in or a host let the person in', async () => {
    const joined = entranceWith([joinedAnswer('peer-1')]);
    expect(await joined.entrance.join('resume-or-new', always)).toEqual({ at: 'call' });
    const admitted = entranceWith([]);
    expect(await admitted.entrance.admit(entry('peer-1'), always)).toEqual({ at: 'call' });
    const steps = ['ice', 'entry peer-1', 'drop', 'reconcile announce=false kept=false', 'build'];
    expect(joined.log).toEqual(['answer in', ...steps]);
    expect(admitted.log).toEqual(steps);
    expect(admitted.place.selfId).toBe('peer-1');
  });

  it('rebuilds nothing when the server kept the media of a resumed place, and announces who came and went', async () => {
    const { entrance, place, log } = entranceWith([joinedAnswer('peer-1', true)], { keptMedia: true });
    place.hold('peer-1', 'secret');
    expect(await entrance.takeBack(false, always)).toEqual({ at: 'call' });
    expect(log).toEqual(['answer in', 'ice', 'entry peer-1', 'reconcile announce=true kept=true', 'catch-up']);
  });

  it('reports a waiting person let in while the connection was down, without entering by itself', async () => {
    const { entrance, place, log } = entranceWith([joinedAnswer('peer-1')]);
    place.hold('peer-1', 'secret');
    const arrival = await entrance.takeBack(true, always);
    expect(arrival).toMatchObject({ at: 'admitted', entry: { peerId: 'peer-1' } });
    expect(log).toEqual(['answer in']);
  });

  it('ends a waiting visit with the queue words when the place in the queue is gone', async () => {
    const { entrance, place } = entranceWith([new RequestError('joinRoom', 'not-found', 'gone', 'place-gone')]);
    place.hold('peer-1', 'secret');
    expect(await entrance.takeBack(true, always)).toEqual({ at: 'ended', problem: 'queue-place-gone' });
  });

  it('takes the place back instead of failing when the connection drops while the media is built', async () => {
    const drop = new RequestError('createTransport', 'disconnected', 'connection closed');
    const { entrance, place, log, connected } = entranceWith([], { buildFails: drop });
    place.hold('peer-1', 'secret');
    connected.value = false;
    expect(await entrance.admit(entry('peer-1'), always)).toEqual({ at: 'dropped' });
    expect(log.at(-1)).toBe('drop');
  });

  it('ends nowhere once a newer attempt overtook it', async () => {
    const { entrance, log } = entranceWith([joinedAnswer('peer-1')]);
    expect(await entrance.join('resume-or-new', () => false)).toEqual({ at: 'nowhere' });
    expect(log).toEqual([]);
  });
});
