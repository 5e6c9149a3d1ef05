import { describe, expect, it } from 'vitest';
import { RoomPlace } from './RoomPlace.svelte.ts';
import { RequestError, type SignalingClient } from './signalingClient.ts';

/** A connection that records joinRoom requests and answers each with the next of `answers`. */
function fakeConnection(answers: (object | RequestError)[]) {
  const requests: Record<string, unknown>[] = [];
  const connection = {
    request: async (name: string, payload: Record<string, unknown>) => {
      requests.push({ name, ...payload });
      const answer = answers.shift();
      if (answer instanceof RequestError) throw answer;
      return answer;
    },
  } as unknown as SignalingClient;
  return { connection, requests };
}

const placeGone = () => new RequestError('joinRoom', 'not-found', 'no such place', 'place-gone');

describe('RoomPlace', () => {
  it('takes the held place back, asking to keep the media, under the name given', async () => {
    const place = new RoomPlace('room-1', null, () => {});
    place.hold('peer-1', 'secret-1');
    place.displayName = 'Mummo';
    const wire = fakeConnection([{ admission: 'in' }]);
    await place.request(wire.connection, true);
    expect(wire.requests).toEqual([
      {
        name: 'joinRoom',
        roomId: 'room-1',
        displayName: 'Mummo',
        resume: { peerId: 'peer-1', secret: 'secret-1', keepMedia: true },
      },
    ]);
    expect(place.selfId).toBe('peer-1');
  });

  it('joins afresh from the Join button when the server no longer keeps the place, and forgets it', async () => {
    const place = new RoomPlace('room-1', { token: 'invitation-token' }, () => {});
    place.hold('peer-1', 'secret-1');
    const wire = fakeConnection([placeGone(), { admission: 'lobby' }]);
    await place.request(wire.connection, false, 'resume-or-new');
    expect(wire.requests.map((r) => 'resume' in r)).toEqual([true, false]);
    expect(wire.requests[1]).toMatchObject({ invitation: { token: 'invitation-token' } });
    expect(place.current).toBeUndefined();
  });

  it('fails with place-gone after a drop or a reload when the place is gone, and keeps it for the caller to decide', async () => {
    const place = new RoomPlace('room-1', null, () => {});
    place.hold('peer-1', 'secret-1');
    const wire = fakeConnection([placeGone()]);
    await expect(place.request(wire.connection, false)).rejects.toMatchObject({ reason: 'place-gone' });
    expect(wire.requests).toHaveLength(1);
  });

  it('fails with place-gone without asking the server when a reload finds no place', async () => {
    const wire = fakeConnection([]);
    await expect(new RoomPlace('room-1', null, () => {}).request(wire.connection, false, 'resume-only')).rejects.toMatchObject({
      reason: 'place-gone',
    });
    expect(wire.requests).toEqual([]);
  });

  it('tells the participants each time a request is sent, so arrivals meanwhile are kept', async () => {
    let marks = 0;
    const place = new RoomPlace('room-1', null, () => marks++);
    await place.request(fakeConnection([{ admission: 'lobby' }]).connection, false, 'resume-or-new');
    expect(marks).toBe(1);
  });
});
