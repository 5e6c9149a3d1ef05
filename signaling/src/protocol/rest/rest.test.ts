import { describe, expect, it } from 'vitest';
import { fillPath, type Endpoint, type ResponseJson, type ResponseValue } from './endpoint.ts';
import { restApi } from './index.ts';
import { newRoomSchema, roomRulesSchema, roomSettingsSchema } from './index.ts';

/** What JSON.stringify makes of a value the server hands it: Dates become ISO strings. */
type Jsonified<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? Jsonified<U>[]
    : T extends object
      ? { [K in keyof T]: Jsonified<T[K]> }
      : T;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Agrees<E> = E extends Endpoint & { response: object } ? Same<Jsonified<ResponseValue<E>>, ResponseJson<E>> : true;
type EveryEndpointAgrees = { [K in keyof typeof restApi]: Agrees<(typeof restApi)[K]> }[keyof typeof restApi];
/** True only when no endpoint disagrees (a union of true and false would be boolean). */
type AllAgree = false extends EveryEndpointAgrees ? false : true;

describe('the REST API table', () => {
  it('types what a route answers and what the console reads from one schema, which JSON.stringify turns into the other', () => {
    // Compile time: for every endpoint, the server's value after JSON.stringify is the browser's type.
    const agrees: AllAgree = true;
    expect(agrees).toBe(true);
    // Run time, for one answer with dates: a route's value, through JSON, is what the schema decodes.
    const session = restApi.listInvitableSessions.response;
    const value: ResponseValue<typeof restApi.listInvitableSessions> = {
      sessions: [
        {
          sessionId: 's1',
          title: 'Tuesday stories',
          weekly: true,
          next: { startsAt: new Date('2026-10-27T16:00:00Z'), endsAt: new Date('2026-10-27T16:45:00Z') },
          invitationEndsAt: new Date('2027-01-25T16:00:00Z'),
          invitationEndsWith: 'limit',
        },
      ],
    };
    const json: ResponseJson<typeof restApi.listInvitableSessions> = JSON.parse(JSON.stringify(value));
    expect(session.decode(json)).toEqual(value);
    expect(json.sessions[0]?.next.startsAt).toBe('2026-10-27T16:00:00.000Z');
  });

  it('names every endpoint once, by method and path', () => {
    const endpoints: Endpoint[] = Object.values(restApi);
    const keys = endpoints.map((e) => `${e.method} ${e.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(endpoints.every((e) => e.path.startsWith('/api/'))).toBe(true);
    expect(endpoints.filter((e) => e.status === 204).every((e) => e.response === undefined)).toBe(true);
  });

  it('fills path parameters, encoded, and refuses to leave one out', () => {
    expect(fillPath(restApi.revokeInvitation.path, { roomId: 'a/b', invitationId: 'c' })).toBe('/api/admin/rooms/a%2Fb/invitations/c/revoke');
    expect(() => fillPath(restApi.getRoom.path, {})).toThrow(TypeError);
  });
});

describe('room settings', () => {
  it('gives a new room its defaults, and a live room only the rules it follows', () => {
    const room = newRoomSchema.parse({ name: 'Satu', kind: 'storytime', language: 'fi', capacity: 4 });
    expect(roomSettingsSchema.parse(room)).toEqual(room);
    expect(room).toMatchObject({ description: '', groundRules: '', lobbyEnabled: true, childrenPresent: false, chatEnabled: true });
    expect(Object.keys(roomRulesSchema.shape).sort()).toEqual(
      ['capacity', 'chatEnabled', 'childrenPresent', 'groundRules', 'kind', 'lobbyEnabled', 'madeFromStartPage', 'name'],
    );
  });
});
