import { describe, expect, it, vi } from 'vitest';
import { findForbiddenCharacter, type RoomInfo } from '@tupa/signaling/protocol';
import { ChatSession, MAX_CHAT_LINES } from './ChatSession.svelte.ts';
import { RequestError } from './signalingClient.ts';

const room = (settings: Partial<RoomInfo> = {}): RoomInfo => ({
  name: 'Perhekahvila',
  kind: 'peer-group',
  groundRules: '',
  childrenPresent: false,
  chatEnabled: true,
  locked: false,
  madeFromStartPage: false,
  ...settings,
});

function chatWith(options: { room?: RoomInfo | null; send?: (text: string) => Promise<void> } = {}) {
  const sent: string[] = [];
  const chat = new ChatSession({
    send: options.send ?? (async (text) => void sent.push(text)),
    selfId: () => 'me',
    room: () => (options.room === undefined ? room() : options.room),
  });
  return { chat, sent };
}

const message = (peerId: string, text: string, sentAt = 1_700_000_000_000) => ({
  peerId,
  displayName: peerId === 'me' ? 'Aino' : 'Pekka',
  text,
  sentAt,
});

describe('ChatSession', () => {
  it('is available only where the room has chat on and no children take part', () => {
    expect(chatWith().chat.available).toBe(true);
    expect(chatWith({ room: room({ chatEnabled: false }) }).chat.available).toBe(false);
    expect(chatWith({ room: room({ childrenPresent: true }) }).chat.available).toBe(false);
    expect(chatWith({ room: null }).chat.available).toBe(false);
  });

  it('keeps lines in order, tells own lines apart and counts unread ones only while closed', () => {
    const { chat } = chatWith();
    chat.receive(message('p1', 'Hei!'));
    chat.receive(message('me', 'Moi'));
    chat.receive(message('p1', 'Mitä kuuluu?'));
    expect(chat.lines.map((l) => [l.name, l.text, l.own])).toEqual([
      ['Pekka', 'Hei!', false],
      ['Aino', 'Moi', true],
      ['Pekka', 'Mitä kuuluu?', false],
    ]);
    expect(chat.unread).toBe(2);
    expect(chat.latestFromOthers?.text).toBe('Mitä kuuluu?');

    chat.setOpen(true);
    expect(chat.unread).toBe(0);
    chat.receive(message('p1', 'Nähdään'));
    expect(chat.unread).toBe(0);
    chat.setOpen(false);
    chat.receive(message('p1', 'Hei hei'));
    expect(chat.unread).toBe(1);
  });

  it('keeps at most the latest lines of a long call', () => {
    const { chat } = chatWith();
    for (let i = 0; i < MAX_CHAT_LINES + 5; i++) chat.receive(message('p1', `line ${i}`));
    expect(chat.lines).toHaveLength(MAX_CHAT_LINES);
    expect(chat.lines[0]?.text).toBe('line 5');
    expect(chat.lines.at(-1)?.text).toBe(`line ${MAX_CHAT_LINES + 4}`);
  });

  it('sends trimmed text, never blank text, and not where chat is off', async () => {
    const { chat, sent } = chatWith();
    expect(await chat.send('   ')).toBe(false);
    expect(await chat.send('  Hei kaikki  ')).toBe(true);
    expect(sent).toEqual(['Hei kaikki']);

    const off = chatWith({ room: room({ childrenPresent: true }) });
    expect(await off.chat.send('hello')).toBe(false);
    expect(off.sent).toEqual([]);
  });

  it('sends a pasted phone number without the invisible direction marks the phone put around it', async () => {
    const { chat, sent } = chatWith();
    // Android's contacts app wraps numbers in U+2068 … U+2069; older apps use U+202A … U+202C.
    expect(await chat.send('Soita: \u2068+358 40 123 4567\u2069 tai \u202a050 765 4321\u202c 👨‍👩‍👧‍👦')).toBe(true);
    expect(sent).toEqual(['Soita: +358 40 123 4567 tai 050 765 4321 👨‍👩‍👧‍👦']);
    expect(findForbiddenCharacter(sent[0] as string, { multiline: true })).toBeNull();
  });

  it('says why a message did not go out and keeps the words', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    let failure: Error = new RequestError('sendChat', 'rate-limited', 'slow down');
    const { chat } = chatWith({
      send: async () => {
        throw failure;
      },
    });
    expect(await chat.send('one')).toBe(false);
    expect(chat.problem).toBe('too-fast');
    failure = new RequestError('sendChat', 'disconnected', 'not connected');
    expect(await chat.send('two')).toBe(false);
    expect(chat.problem).toBe('failed');
    expect(chat.sending).toBe(false);
    vi.restoreAllMocks();
  });
});
