import { describe, expect, it } from 'vitest';
import type { CodeLookup } from './codeLookup.ts';
import { CODE_STORAGE_KEY, CodeVisits, codeVisitRoomId, type CodeStorage } from './codeVisit.ts';
import type { InvitationInfo } from './invitation.ts';

const invitation = (name: string, open = true): InvitationInfo => ({
  room: { name, kind: 'storytime', language: 'fi', groundRules: '' },
  role: 'guest',
  simple: false,
  expiresAt: '2026-04-01T12:00:00.000Z',
  session: { title: 'Tuesday stories', startsAt: '2026-03-12T15:30:00.000Z', endsAt: '2026-03-12T16:15:00.000Z', open },
});

function memoryStorage() {
  const map = new Map<string, string>();
  const storage: CodeStorage = { getItem: (key) => map.get(key) ?? null, setItem: (key, value) => void map.set(key, value) };
  return { storage, map };
}

/** A server that answers each look-up from `answers` in turn and counts the look-ups. */
function server(...answers: CodeLookup[]) {
  const asked: string[] = [];
  const lookUp = async (code: string): Promise<CodeLookup> => {
    asked.push(code);
    const answer = answers.shift();
    if (!answer) throw new Error('asked more often than expected');
    return answer;
  };
  return { lookUp, asked };
}

const noFetch = (() => Promise.reject(new Error('no network in this test'))) as typeof fetch;

describe('a visit by typed code', () => {
  it('keeps its place under a key of its own for each code that does not hold the code', () => {
    const first = codeVisitRoomId('ABCDE-12345');
    expect(first).toMatch(/^code-[0-9a-f]{8}$/);
    expect(first).not.toContain('ABCDE');
    expect(codeVisitRoomId('ABCDE-12345')).toBe(first);
    expect(codeVisitRoomId('ABCDE-12346')).not.toBe(first);
  });

  it('has no code until one is checked, and keeps it out of everything but session storage', async () => {
    const { storage, map } = memoryStorage();
    const visits = new CodeVisits({ storage: () => storage, lookUp: server().lookUp });
    expect(await visits.current(noFetch)).toEqual({ code: null, lookup: null });
    visits.start('ABCDE-23456', invitation('Satutupa'));
    expect(map.get(CODE_STORAGE_KEY)).toBe('ABCDE-23456');
    expect(visits.code).toBe('ABCDE-23456');
  });

  it('shows the form\'s own answer first, then asks the server again (after a reload, or to look again)', async () => {
    const { storage } = memoryStorage();
    const answers = server({ outcome: 'found', invitation: invitation('Satutupa', true) });
    const visits = new CodeVisits({ storage: () => storage, lookUp: answers.lookUp });
    visits.start('ABCDE-23456', invitation('Satutupa', false));
    expect(await visits.current(noFetch)).toEqual({ code: 'ABCDE-23456', lookup: { outcome: 'found', invitation: invitation('Satutupa', false) } });
    expect(answers.asked).toEqual([]);
    expect(await visits.current(noFetch)).toEqual({ code: 'ABCDE-23456', lookup: { outcome: 'found', invitation: invitation('Satutupa', true) } });
    expect(answers.asked).toEqual(['ABCDE-23456']);
  });

  it('finds the code again after a reload (a new page, the same session storage)', async () => {
    const { storage } = memoryStorage();
    new CodeVisits({ storage: () => storage }).start('ABCDE-23456', invitation('Satutupa'));
    const answers = server({ outcome: 'found', invitation: invitation('Satutupa') });
    const reloaded = new CodeVisits({ storage: () => storage, lookUp: answers.lookUp });
    expect(await reloaded.current(noFetch)).toEqual({ code: 'ABCDE-23456', lookup: { outcome: 'found', invitation: invitation('Satutupa') } });
    expect(answers.asked).toEqual(['ABCDE-23456']);
  });

  it('keeps what it knew while the server asks to wait or cannot be reached, but not once the code is gone', async () => {
    const { storage } = memoryStorage();
    const answers = server({ outcome: 'wait', seconds: 30 }, { outcome: 'failed' }, { outcome: 'not-found' }, { outcome: 'wait', seconds: 8 });
    const visits = new CodeVisits({ storage: () => storage, lookUp: answers.lookUp });
    visits.start('ABCDE-23456', invitation('Satutupa', false));
    await visits.current(noFetch);
    const known = { outcome: 'found', invitation: invitation('Satutupa', false) };
    expect((await visits.current(noFetch)).lookup).toEqual(known);
    expect((await visits.current(noFetch)).lookup).toEqual(known);
    expect(await visits.current(noFetch)).toEqual({ code: 'ABCDE-23456', lookup: { outcome: 'not-found' } });
    expect(await visits.current(noFetch)).toEqual({ code: 'ABCDE-23456', lookup: { outcome: 'wait', seconds: 8 } });
  });

  it('after a reload with nothing known, says why the code cannot be used now', async () => {
    const { storage, map } = memoryStorage();
    map.set(CODE_STORAGE_KEY, 'ABCDE-23456');
    const visits = new CodeVisits({ storage: () => storage, lookUp: server({ outcome: 'wait', seconds: 8 }).lookUp });
    expect(await visits.current(noFetch)).toEqual({ code: 'ABCDE-23456', lookup: { outcome: 'wait', seconds: 8 } });
  });

  it('works where the browser refuses storage, until a reload', async () => {
    const refusing: CodeStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('SecurityError');
      },
    };
    const visits = new CodeVisits({ storage: () => refusing, lookUp: server().lookUp });
    expect(() => visits.start('ABCDE-23456', invitation('Satutupa'))).not.toThrow();
    expect((await visits.current(noFetch)).code).toBe('ABCDE-23456');
    expect(await new CodeVisits({ storage: () => refusing }).current(noFetch)).toEqual({ code: null, lookup: null });
    expect(await new CodeVisits({ storage: () => null }).current(noFetch)).toEqual({ code: null, lookup: null });
  });

  it('ignores a stored value that cannot be a code', async () => {
    const { storage, map } = memoryStorage();
    map.set(CODE_STORAGE_KEY, '<script>');
    expect(await new CodeVisits({ storage: () => storage, lookUp: server().lookUp }).current(noFetch)).toEqual({ code: null, lookup: null });
  });
});
