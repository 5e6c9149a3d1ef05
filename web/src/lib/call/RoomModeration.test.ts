import { describe, expect, it } from 'vitest';
import { RoomModeration } from './RoomModeration.svelte.ts';
import type { SignalingClient } from './signalingClient.ts';

/** A connection that records requests and lets the test deliver notifications. */
function fakeConnection() {
  const requests: { name: string; payload: unknown }[] = [];
  const handlers = new Map<string, (payload: unknown) => void>();
  const connection = {
    request: async (name: string, payload: unknown) => {
      requests.push({ name, payload });
      return {};
    },
    on: (name: string, handler: (payload: unknown) => void) => {
      handlers.set(name, handler);
      return () => handlers.delete(name);
    },
  } as unknown as SignalingClient;
  const deliver = (name: string, payload: unknown) => handlers.get(name)?.(payload);
  return { connection, requests, deliver };
}

function moderationWith() {
  const wire = fakeConnection();
  const locks: boolean[] = [];
  const moderation = new RoomModeration({
    connection: () => wire.connection,
    selfId: () => 'me',
    onLocked: (locked) => locks.push(locked),
  });
  moderation.listen(wire.connection);
  return { moderation, locks, ...wire };
}

describe('RoomModeration', () => {
  it('keeps raised hands from the join, from notifications and from raising one’s own', async () => {
    const { moderation, deliver, requests } = moderationWith();
    moderation.setHands([
      { peerId: 'aino', handRaised: true },
      { peerId: 'pekka', handRaised: false },
    ]);
    expect([...moderation.hands]).toEqual(['aino']);
    deliver('handChanged', { peerId: 'pekka', raised: true });
    deliver('handChanged', { peerId: 'aino', raised: false });
    expect([...moderation.hands]).toEqual(['pekka']);
    await moderation.raiseHand(true);
    expect(requests).toEqual([{ name: 'raiseHand', payload: { raised: true } }]);
    expect(moderation.hands.has('me')).toBe(true);
    // A resume reports the others afresh (Pekka lowered his hand meanwhile); one's own stays.
    moderation.setHands([{ peerId: 'pekka', handRaised: false }]);
    expect([...moderation.hands]).toEqual(['me']);
  });

  it('shows the lobby as the server reports it, and follows the room lock both ways', async () => {
    const { moderation, deliver, locks, requests } = moderationWith();
    const waiting = [{ guestId: 'g1', displayName: 'Mummo', waitingSince: 1 }];
    deliver('lobbyChanged', { waiting });
    expect(moderation.lobby).toEqual(waiting);
    await moderation.host('setRoomLocked', { locked: true });
    deliver('roomLocked', { locked: false });
    expect(requests).toEqual([{ name: 'setRoomLocked', payload: { locked: true } }]);
    expect(locks).toEqual([true, false]);
  });

  it('keeps a note of what a host did until that device is on again or the note is read', () => {
    const { moderation } = moderationWith();
    moderation.noteAction('muted');
    expect(moderation.note).toEqual({ id: 1, action: 'muted' });
    moderation.clearNote('video-stopped');
    expect(moderation.note?.action).toBe('muted');
    moderation.clearNote('muted');
    expect(moderation.note).toBeNull();
    moderation.noteAction('video-stopped');
    expect(moderation.note).toEqual({ id: 2, action: 'video-stopped' });
    moderation.clearNote();
    expect(moderation.note).toBeNull();
  });
});
